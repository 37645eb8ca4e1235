// The README's screenshots, taken in Chromium against the real demo stack (free ports, in memory):
// the IdP's login page and the app's passkeys page with one passkey. `npx tsx scripts/screenshots.ts`
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { totp } from '../servers/authsignal-emulator/dist/totp.js'
import { addVirtualAuthenticator, CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/fixtures/browser.js'
import { startDemoStack } from '../test/fixtures/client-app.js'

const DOCS = join(import.meta.dirname, '..', 'docs')
const cleanups: Array<() => unknown> = []
try {
  const { emulator, idp, client } = await startDemoStack({ teardown: fn => { cleanups.push(fn) } })
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
  cleanups.push(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 900, height: 640 } })
  await addVirtualAuthenticator(page)

  await page.goto(`${client.origin}/login?returnTo=/passkeys`)
  await page.waitForURL(url => url.origin === idp.origin)
  await page.evaluate(async () => { await customElements.whenDefined('passkey-signin-button') })
  await page.screenshot({ path: join(DOCS, 'login-page.png') })

  await page.fill('#username', 'alice')
  await page.fill('#password', 'alice')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL(url => url.origin === emulator.origin)
  await page.click('#choose-app')
  await page.waitForFunction(() => (document.getElementById('totp-secret')?.textContent ?? '').length > 0)
  await page.fill('#enroll-code', totp((await page.textContent('#totp-secret')) ?? ''))
  await page.click('[data-screen="totp-enroll"] button[type="submit"]')
  await page.waitForURL(url => url.origin === client.origin && url.pathname === '/passkeys')
  await page.getByRole('button', { name: 'Add a passkey' }).click()
  await page.waitForURL(url => url.search === '?status=added')
  await page.screenshot({ path: join(DOCS, 'passkeys-page.png') })
  console.log(`screenshots: ${join(DOCS, 'login-page.png')}, ${join(DOCS, 'passkeys-page.png')}`)
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup()
}
