// The emulator's hosted challenge page, driven in Chromium: enrollment and challenge with an
// authenticator app (real RFC 6238 codes) and a passkey (CDP virtual authenticator), switching
// methods, cancel, wrong codes up to CHALLENGE_FAILED, refused return addresses, expired links, the
// server-side checks on the way back, and the page's headers. The site the page returns to is a real
// HTTP server that records what it receives; tokens are checked with the real @authsignal/node. Its
// languages are test/hosted-i18n.test.ts's; here the page is in English (the browser's default).
import { VerificationMethod } from '@authsignal/node'
import { decodeJwt, SignJWT } from 'jose'
import type { Page } from 'playwright-core'
import QRCode from 'qrcode'
import t from 'tap'
import { checkRedirectUrl, withToken } from '../servers/authsignal-emulator/dist/hosted/redirect.js'
import { matchTotp, totp } from '../servers/authsignal-emulator/dist/totp.js'
import { addVirtualAuthenticator, launchBrowser, screenshot, watchPage, type PageWatch } from './fixtures/browser.js'
import { freePort, startEmulator, TEST_SECRET, TEST_TENANT, type RunningEmulator } from './fixtures/emulator.js'
import { startReturnSite, type ReturnSite } from './fixtures/hosted-return-site.js'

const browser = await launchBrowser(t)

interface Servers {
  site: ReturnSite
  emulator: RunningEmulator
  /** track(signIn) for `userId` with a return address on the site; answers the SDK's track response. */
  track (userId: string, attributes?: Record<string, unknown>): Promise<{ url: string, token: string, state: string, isEnrolled: boolean }>
  validate (token: string): Promise<Record<string, unknown>>
}

interface Journey extends Servers {
  page: Page
  watch: PageWatch
  /** Waits until the browser is back on the site (request received and page loaded); answers the request. */
  returned (): Promise<ReturnSite['visits'][number]>
}

/** What Chromium logs when a document answers 4xx: expected where a test opens an error page on purpose. */
const ERROR_PAGE_LOAD = /Failed to load resource: the server responded with a status of 4\d\d/

interface Teardown { teardown (fn: () => unknown): void }

/** A fresh emulator whose only expected origin is a fresh return site. */
async function servers (t: Teardown, options: Parameters<typeof startEmulator>[1] = {}): Promise<Servers> {
  const site = await startReturnSite(t)
  const emulator = await startEmulator(t, { expectedOrigins: [site.origin], ...options })
  const client = emulator.serverClient()
  return {
    site,
    emulator,
    async track (userId, attributes = {}) {
      const response = await client.track({
        userId,
        action: 'signIn',
        attributes: { redirectUrl: `${site.origin}/callback?state=abc`, username: `${userId}@example.test`, ...attributes }
      })
      if (response.url == null || response.token == null) throw new Error('track answered without url or token')
      return { url: response.url, token: response.token, state: response.state, isEnrolled: response.isEnrolled }
    },
    async validate (token) {
      return await client.validateChallenge({ token, action: 'signIn' }) as unknown as Record<string, unknown>
    }
  }
}

/** Servers plus a fresh browser profile (one per test, from the file's one browser) and its page. */
async function journey (t: Teardown, options: Parameters<typeof startEmulator>[1] = {}, ignoreConsole: RegExp[] = []): Promise<Journey> {
  const running = await servers(t, options)
  const context = await browser.newContext()
  t.teardown(() => context.close())
  const page = await context.newPage()
  const watch = watchPage(page, ignoreConsole)
  return {
    ...running,
    page,
    watch,
    async returned () {
      const visit = await running.site.nextVisit('/callback')
      // The request reaching the site is not the end of the navigation: the next goto must not interrupt it.
      await page.waitForURL(url => url.origin === running.site.origin && url.pathname === '/callback')
      return visit
    }
  }
}

/** Enrolls an authenticator app over the Client API (test set-up, not the page): returns its secret. */
async function enrollAppOverApi (emulator: RunningEmulator, token: string): Promise<string> {
  const auth = { authorization: `Bearer ${token}` }
  const enroll = await fetch(`${emulator.apiUrl}/client/user-authenticators/totp`, { method: 'POST', headers: auth })
  const { secret } = await enroll.json() as { secret: string }
  const verify = await fetch(`${emulator.apiUrl}/client/verify/totp`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ verificationCode: totp(secret) })
  })
  const result = await verify.json() as { isVerified: boolean }
  if (!result.isVerified) throw new Error('set-up: the authenticator app was not verified')
  return secret
}

/** A code for the next time step: the current one was spent by the enrollment (replays are refused). */
const nextCode = (secret: string): string => totp(secret, Date.now() + 30_000)

/** A six-digit code that no step in the accepted window produces. */
function wrongCode (secret: string): string {
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0')
    if (matchTotp(secret, code) == null) return code
  }
}

const activeId = async (page: Page): Promise<string | undefined> => await page.evaluate(() => document.activeElement?.id)

async function tabTo (page: Page, id: string): Promise<boolean> {
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab')
    if (await activeId(page) === id) return true
  }
  return false
}

const statusText = async (page: Page): Promise<string> => (await page.textContent('#status')) ?? ''

function assertClean (t: { same: (found: unknown, wanted: unknown, message: string) => boolean }, watch: PageWatch): void {
  t.same(watch.errors, [], 'no uncaught errors or console errors')
  t.same(watch.cspViolations, [], 'no CSP violations')
}

t.test('authenticator app: enroll on the page, return with a token that validates to CHALLENGE_SUCCEEDED', async t => {
  const { site, emulator, page, watch, track, validate, returned } = await journey(t)
  const tracked = await track('app-user')
  t.equal(tracked.state, 'ALLOW')
  t.equal(tracked.isEnrolled, false)
  t.match(tracked.url, new RegExp(`^${emulator.origin}/challenge\\?token=`))

  const response = await page.goto(tracked.url)
  t.equal(response?.status(), 200)
  const headers = response?.headers() ?? {}
  const csp = headers['content-security-policy'] ?? ''
  t.match(csp, "script-src 'self'")
  t.match(csp, "style-src 'self'")
  t.match(csp, "frame-ancestors 'none'")
  t.match(csp, `form-action 'self' ${site.origin}`)
  t.notMatch(csp, 'unsafe-inline')
  t.equal(headers['referrer-policy'], 'no-referrer')
  t.equal(headers['cache-control'], 'no-store')
  t.equal(headers['x-frame-options'], 'DENY')
  t.equal(await page.textContent('h1:visible'), 'Set up two-step verification')
  t.equal(await page.locator('.option:visible').count(), 2, 'passkey and authenticator app are offered')
  await screenshot(page, 'hosted-choose-method')

  await page.click('#choose-app')
  t.equal(await activeId(page), 'totp-enroll-title', 'focus moves to the new screen\'s heading')
  await page.waitForFunction(() => (document.getElementById('totp-secret')?.textContent ?? '').length > 0)
  await page.waitForSelector('#totp-qr:not([hidden])')
  const secret = (await page.textContent('#totp-secret')) ?? ''
  t.match(secret, /^[A-Z2-7]{32}$/, 'the secret is shown as base32 text, copied without spaces')
  const uri = (await page.textContent('#totp-uri')) ?? ''
  t.match(uri, /^otpauth:\/\/totp\/Passkey%20demo:app-user%40example\.test\?/)
  t.equal(new URL(uri).searchParams.get('secret'), secret)
  t.equal(await page.getAttribute('#totp-uri-link', 'href'), uri)
  t.match(await statusText(page), 'setup key is ready')

  // The QR image encodes exactly the URI shown as text.
  const qrSrc = await page.getAttribute('#totp-qr', 'src') ?? ''
  const qr = await fetch(new URL(qrSrc, emulator.origin))
  t.equal(qr.status, 200)
  t.equal(qr.headers.get('content-type'), 'image/svg+xml')
  t.equal(qr.headers.get('cache-control'), 'no-store')
  t.equal(await qr.text(), await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }))
  await page.locator('details.uri summary').click()
  await screenshot(page, 'hosted-totp-enroll')

  await page.fill('#enroll-code', totp(secret))
  await page.click('[data-screen="totp-enroll"] button[type="submit"]')
  const visit = await returned()
  t.equal(visit.query.get('state'), 'abc', 'the return address keeps its own query')
  t.match(visit.rawUrl, /^\/callback\?state=abc&token=[\w-]+\.[\w-]+\.[\w-]+$/, 'token appended with &')
  const token = visit.query.get('token') ?? ''
  const result = await validate(token)
  t.equal(result.isValid, true)
  t.equal(result.state, 'CHALLENGE_SUCCEEDED')
  t.equal(result.verificationMethod, 'AUTHENTICATOR_APP')
  t.equal(result.userId, 'app-user')
  t.equal(decodeJwt(token).scope, 'read:authenticators', 'the token in the URL has only the scope track granted')
  const apps = emulator.ctx.store.authenticatorsOf('app-user')
  t.equal(apps.length, 1)
  t.equal(apps[0].verificationMethod, 'AUTHENTICATOR_APP')
  assertClean(t, watch)
})

t.test('authenticator app: an enrolled user is asked for a code and goes back verified', async t => {
  const { site, emulator, page, watch, track, validate, returned } = await journey(t)
  const secret = await enrollAppOverApi(emulator, (await track('returning', { idempotencyKey: 'set-up' })).token)
  const tracked = await track('returning')
  t.equal(tracked.state, 'CHALLENGE_REQUIRED')

  await page.goto(tracked.url)
  t.equal(await page.textContent('h1:visible'), 'Enter your code')
  t.equal(await page.locator('[data-screen="choose"]').count(), 0, 'no enrollment offered to an enrolled user')
  t.equal(await page.locator('[data-screen="passkey-challenge"]').count(), 0, 'no passkey screen without a passkey')
  t.equal(await activeId(page), 'challenge-code', 'the code field has focus')
  await screenshot(page, 'hosted-totp-challenge')

  await page.keyboard.type(nextCode(secret))
  await page.keyboard.press('Enter')
  const visit = await returned()
  const result = await validate(visit.query.get('token') ?? '')
  t.equal(result.state, 'CHALLENGE_SUCCEEDED')
  t.equal(result.verificationMethod, 'AUTHENTICATOR_APP')
  t.equal(result.idempotencyKey, (decodeJwt(tracked.token).other as { idempotencyKey: string }).idempotencyKey, 'the tracked action')
  assertClean(t, watch)
})

t.test('email and SMS: a code is sent when the screen opens, read from the outbox, and the user goes back verified', async t => {
  const { emulator, page, watch, track, validate, returned } = await journey(t)
  const client = emulator.serverClient()
  await client.enrollVerifiedAuthenticator({ userId: 'coded', attributes: { verificationMethod: VerificationMethod.SMS, phoneNumber: '+64270001234', isDefault: true } })
  await client.enrollVerifiedAuthenticator({ userId: 'coded', attributes: { verificationMethod: VerificationMethod.EMAIL_OTP, email: 'coded@example.test' } })
  const tracked = await track('coded')
  t.equal(tracked.state, 'CHALLENGE_REQUIRED')

  await page.goto(tracked.url)
  t.equal(await page.textContent('h1:visible'), 'Check your phone', 'the default method comes first')
  t.match(await page.textContent('[data-screen="sms-challenge"] .lead'), '+64*******34', 'the number is masked')
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'A code is on its way to your phone.')
  t.equal(emulator.ctx.outbox.list('+64270001234').length, 1, 'sent once, on opening')
  const first = emulator.ctx.outbox.latestCode('+64270001234') ?? ''
  await page.fill('#sms-code', String((Number(first) + 1) % 1_000_000).padStart(6, '0'))
  await page.click('[data-screen="sms-challenge"] button[type="submit"]')
  await page.waitForSelector('#sms-code[aria-invalid="true"]')
  t.match(await page.textContent('#sms-code-error'), 'not correct or has expired')
  await page.click('[data-run="resend-sms"]')
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'A code is on its way to your phone.')
  t.equal(emulator.ctx.outbox.list('+64270001234').length, 2)
  await page.fill('#sms-code', emulator.ctx.outbox.latestCode('+64270001234') ?? '')
  await page.keyboard.press('Enter')
  const sms = await validate((await returned()).query.get('token') ?? '')
  t.same([sms.state, sms.verificationMethod], ['CHALLENGE_SUCCEEDED', 'SMS'])

  // The other code method is one click away.
  await page.goto((await track('coded')).url)
  await page.click('[data-screen="sms-challenge"] [data-goto="email-otp-challenge"]')
  t.equal(await page.textContent('h1:visible'), 'Check your email')
  t.match(await page.textContent('[data-screen="email-otp-challenge"] .lead'), 'c***@example.test')
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'A code is on its way to your email.')
  await page.fill('#email-code', emulator.ctx.outbox.latestCode('coded@example.test') ?? '')
  await page.keyboard.press('Enter')
  const email = await validate((await returned()).query.get('token') ?? '')
  t.same([email.state, email.verificationMethod], ['CHALLENGE_SUCCEEDED', 'EMAIL_OTP'])
  assertClean(t, watch)
})

t.test('keyboard only: choose the app, enroll and submit with Tab, Enter and typing', async t => {
  const { page, watch, track, validate, returned } = await journey(t)
  await page.goto((await track('keyboard-user')).url)
  t.ok(await tabTo(page, 'choose-app'), 'the authenticator-app option is reachable with Tab')
  await page.keyboard.press('Enter')
  t.equal(await activeId(page), 'totp-enroll-title')
  await page.waitForFunction(() => (document.getElementById('totp-secret')?.textContent ?? '').length > 0)
  const secret = (await page.textContent('#totp-secret')) ?? ''
  t.ok(await tabTo(page, 'enroll-code'), 'the code field is reachable with Tab')
  await page.keyboard.type(totp(secret))
  await page.keyboard.press('Enter')
  const result = await validate((await returned()).query.get('token') ?? '')
  t.equal(result.state, 'CHALLENGE_SUCCEEDED')
  assertClean(t, watch)
})

t.test('passkey: enroll on the page, then pass a challenge with it', async t => {
  const { site, emulator, page, watch, track, validate, returned } = await journey(t)
  const authenticator = await addVirtualAuthenticator(page)

  const first = await track('passkey-user')
  await page.goto(first.url)
  await page.click('#choose-passkey')
  t.equal(await activeId(page), 'passkey-enroll-title')
  await screenshot(page, 'hosted-passkey-enroll')
  await page.click('[data-run="passkey-enroll"]')
  const enrolled = await validate((await returned()).query.get('token') ?? '')
  t.equal(enrolled.state, 'CHALLENGE_SUCCEEDED')
  t.equal(enrolled.verificationMethod, 'PASSKEY')
  t.equal(enrolled.userId, 'passkey-user')
  t.equal((await authenticator.credentials()).length, 1, 'the authenticator holds one passkey')
  t.same(emulator.ctx.store.enrolledMethods('passkey-user'), ['PASSKEY'])

  const second = await track('passkey-user')
  t.equal(second.state, 'CHALLENGE_REQUIRED')
  await page.goto(second.url)
  t.equal(await page.textContent('h1:visible'), 'Confirm it\'s you')
  t.equal(await page.locator('[data-goto="totp-challenge"]').count(), 0, 'no switch offered with one method')
  await screenshot(page, 'hosted-passkey-challenge')
  await page.click('[data-run="passkey-challenge"]')
  const visit = await returned()
  const challenged = await validate(visit.query.get('token') ?? '')
  t.equal(challenged.state, 'CHALLENGE_SUCCEEDED')
  t.equal(challenged.verificationMethod, 'PASSKEY')
  t.not(challenged.idempotencyKey, enrolled.idempotencyKey, 'the second sign-in is its own action')
  assertClean(t, watch)
})

t.test('passkey: a refused prompt is said in words and the user can try again', async t => {
  const { page, watch, track, validate, returned } = await journey(t)
  const authenticator = await addVirtualAuthenticator(page)
  await page.goto((await track('retry-user')).url)
  await page.click('#choose-passkey')
  // Without user verification the virtual authenticator refuses a UV-required ceremony (NotAllowedError).
  await authenticator.setUserVerified(false)
  await page.click('[data-run="passkey-enroll"]')
  await page.waitForFunction(() => document.getElementById('status')?.classList.contains('is-error'))
  t.match(await statusText(page), 'closed or timed out')
  t.equal(await page.getAttribute('[data-run="passkey-enroll"]', 'aria-disabled'), null, 'the button works again')
  await screenshot(page, 'hosted-passkey-error')
  await authenticator.setUserVerified(true)
  await page.click('[data-run="passkey-enroll"]')
  const result = await validate((await returned()).query.get('token') ?? '')
  t.equal(result.verificationMethod, 'PASSKEY')
  assertClean(t, watch)
})

t.test('both methods enrolled: the user can switch between them', async t => {
  const { site, emulator, page, watch, track, validate, returned } = await journey(t)
  await addVirtualAuthenticator(page)
  await page.goto((await track('both')).url)
  await page.click('#choose-passkey')
  await page.click('[data-run="passkey-enroll"]')
  await returned()
  // A second method needs add:authenticators once the user has one.
  const secret = await enrollAppOverApi(emulator, (await track('both', { scope: 'add:authenticators' })).token)
  t.same(emulator.ctx.store.enrolledMethods('both'), ['PASSKEY', 'AUTHENTICATOR_APP'])

  await page.goto((await track('both')).url)
  t.equal(await page.textContent('h1:visible'), 'Confirm it\'s you', 'the first enrolled method comes first')
  await page.click('[data-goto="totp-challenge"]')
  t.equal(await page.textContent('h1:visible'), 'Enter your code')
  t.equal(await activeId(page), 'totp-challenge-title')
  await page.click('[data-goto="passkey-challenge"]')
  t.equal(await page.textContent('h1:visible'), 'Confirm it\'s you')
  await page.click('[data-goto="totp-challenge"]')
  await page.fill('#challenge-code', nextCode(secret))
  await page.click('[data-screen="totp-challenge"] button[type="submit"]')
  const result = await validate((await returned()).query.get('token') ?? '')
  t.equal(result.state, 'CHALLENGE_SUCCEEDED')
  t.equal(result.verificationMethod, 'AUTHENTICATOR_APP')
  assertClean(t, watch)
})

t.test('cancel: back to the site with the track token, the state stays CHALLENGE_REQUIRED', async t => {
  const { site, emulator, page, watch, track, validate, returned } = await journey(t)
  await enrollAppOverApi(emulator, (await track('quitter', { idempotencyKey: 'set-up' })).token)
  const tracked = await track('quitter')
  await page.goto(tracked.url)
  await page.click('#cancel-form button')
  const visit = await returned()
  t.equal(visit.query.get('token'), tracked.token, 'the track token comes back')
  t.equal(visit.query.get('state'), 'abc')
  const result = await validate(tracked.token)
  t.equal(result.isValid, false)
  t.equal(result.state, 'CHALLENGE_REQUIRED')
  assertClean(t, watch)
})

t.test('wrong codes: said in words, retry allowed, CHALLENGE_FAILED after the limit', async t => {
  const { emulator, page, watch, track, validate, returned } = await journey(t, { maxFailedAttempts: 3 }, [ERROR_PAGE_LOAD])
  const secret = await enrollAppOverApi(emulator, (await track('guesser', { idempotencyKey: 'set-up' })).token)
  const tracked = await track('guesser')
  const action = (): { state: string, failedAttempts: number } | undefined =>
    [...emulator.ctx.store.actions.values()].find(a => a.userId === 'guesser' && a.idempotencyKey !== 'set-up')
  await page.goto(tracked.url)

  const submit = async (code: string): Promise<void> => {
    await page.fill('#challenge-code', code)
    await page.click('[data-screen="totp-challenge"] button[type="submit"]')
  }
  await submit(wrongCode(secret))
  await page.waitForFunction(() => document.getElementById('challenge-code')?.getAttribute('aria-invalid') === 'true')
  t.match(await page.textContent('#challenge-code-error'), 'That code is not correct')
  t.match(await statusText(page), 'That code is not correct', 'the status region announces it too')
  t.equal(await activeId(page), 'challenge-code', 'focus returns to the field')
  t.equal(action()?.failedAttempts, 1)
  await screenshot(page, 'hosted-totp-wrong-code')

  await submit('12ab')
  await page.waitForFunction(() => (document.getElementById('challenge-code-error')?.textContent ?? '').startsWith('Enter the 6-digit'))
  t.equal(action()?.failedAttempts, 1, 'a malformed code is refused on the page and not counted')

  await submit(wrongCode(secret))
  await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Checking') === false &&
    document.getElementById('challenge-code')?.getAttribute('aria-invalid') === 'true')
  t.equal(action()?.failedAttempts, 2)
  t.equal(action()?.state, 'CHALLENGE_REQUIRED', 'still retryable below the limit')

  await submit(wrongCode(secret))
  await page.waitForSelector('[data-screen="failed"]:not([hidden])')
  t.equal(await activeId(page), 'failed-title')
  t.equal(action()?.state, 'CHALLENGE_FAILED')
  t.equal(await page.isVisible('#cancel-form'), false, 'nothing left to cancel')
  await screenshot(page, 'hosted-totp-failed')

  await page.click('[data-screen="failed"] button')
  const visit = await returned()
  const result = await validate(visit.query.get('token') ?? '')
  t.equal(result.isValid, false)
  t.equal(result.state, 'CHALLENGE_FAILED')

  const again = await page.goto(tracked.url)
  t.equal(again?.status(), 403, 'the page refuses a failed action')
  t.match(await page.textContent('h1'), 'cannot be completed')
  assertClean(t, watch)
})

t.test('a return address off the expected origins is refused with an error page, never followed', async t => {
  const { site, emulator, page, watch, track } = await journey(t, {}, [ERROR_PAGE_LOAD])
  const otherPort = await freePort()
  const refused = [
    'http://evil.example/callback',
    `${site.origin}@evil.example/callback`,
    `http://user:pass@${new URL(site.origin).host}/callback`,
    `http://localhost:${otherPort}/callback`,
    `${site.origin.replace('http:', 'https:')}/callback`,
    'javascript:alert(1)',
    '//evil.example/callback',
    '/callback',
    ''
  ]
  for (const redirectUrl of refused) {
    const tracked = await track('wanderer', { redirectUrl })
    const res = await fetch(tracked.url, { redirect: 'manual' })
    t.equal(res.status, 400, `GET refused: ${JSON.stringify(redirectUrl)}`)
    t.equal(res.headers.get('location'), null)
    t.match(res.headers.get('content-type'), 'text/html')
    t.match(res.headers.get('content-security-policy'), /form-action 'self'; /, 'no return origin allowed for forms')
    t.match(await res.text(), 'This sign-in cannot continue')
    for (const path of ['/challenge/cancel', '/challenge/complete']) {
      const post = await fetch(`${emulator.origin}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: tracked.token })
      })
      t.equal(post.status, 400, `POST ${path} refused: ${JSON.stringify(redirectUrl)}`)
      t.equal(post.headers.get('location'), null)
    }
  }

  const response = await page.goto((await track('wanderer', { redirectUrl: 'http://evil.example/callback' })).url)
  t.equal(response?.status(), 400)
  t.match(await page.textContent('main'), 'on http://evil.example')
  t.equal(new URL(page.url()).origin, emulator.origin, 'the browser stays on the emulator')
  await screenshot(page, 'hosted-error-redirect')
  assertClean(t, watch)
})

t.test('expired, forged and missing tokens get a page in words, not a crash', async t => {
  const { emulator, page, watch, track } = await journey(t, {}, [ERROR_PAGE_LOAD])
  const tracked = await track('late')
  const claims = decodeJwt(tracked.token)
  const now = Math.floor(Date.now() / 1000)
  const expired = await new SignJWT({ scope: claims.scope, other: claims.other })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('late')
    .setAudience(TEST_TENANT)
    .setIssuedAt(now - 700)
    .setExpirationTime(now - 100)
    .sign(new TextEncoder().encode(TEST_SECRET))

  const response = await page.goto(`${emulator.origin}/challenge?token=${expired}`)
  t.equal(response?.status(), 410)
  t.equal(await page.textContent('h1'), 'This link has expired')
  t.match(await page.textContent('main'), 'Sign-in links last 10 minutes')
  await screenshot(page, 'hosted-error-expired')

  const forged = `${tracked.token.slice(0, -4)}AAAA`
  const cases: Array<[string, number, string]> = [
    [`/challenge?token=${forged}`, 400, 'This link is not valid'],
    ['/challenge?token=not-a-token', 400, 'This link is not valid'],
    ['/challenge', 400, 'This request is not valid'],
    [`/challenge?token=${tracked.token}&token=${tracked.token}`, 400, 'This request is not valid'],
    [`/challenge/totp-qr?token=${expired}`, 410, 'This link has expired'],
    [`/challenge/totp-qr?token=${tracked.token}`, 404, 'Page not found'],
    ['/challenge/nothing-here', 404, 'Page not found']
  ]
  for (const [path, status, title] of cases) {
    const res = await fetch(`${emulator.origin}${path}`)
    const body = await res.text()
    t.equal(res.status, status, path.slice(0, 40))
    t.match(res.headers.get('content-type'), 'text/html')
    t.equal(res.headers.get('cache-control'), 'no-store')
    t.match(body, `<h1>${title}</h1>`)
    t.notMatch(body, /\.ts:\d+|at \w+ \(/, 'no stack trace')
    t.notMatch(body, tracked.token, 'the token is not echoed')
  }

  const post = await fetch(`${emulator.origin}/challenge/complete`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
    body: new URLSearchParams({ token: expired })
  })
  t.equal(post.status, 410)
  t.equal(post.headers.get('location'), null)
  assertClean(t, watch)
})

t.test('the way back is checked by the server: only a succeeded action, only from the page', async t => {
  const { site, emulator, page, watch, track, validate, returned } = await journey(t)
  const secret = await enrollAppOverApi(emulator, (await track('checked', { idempotencyKey: 'set-up' })).token)
  const tracked = await track('checked')
  const complete = async (token: string, headers: Record<string, string> = { 'sec-fetch-site': 'same-origin' }): Promise<Response> =>
    await fetch(`${emulator.origin}/challenge/complete`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ token })
    })

  const early = await complete(tracked.token)
  t.equal(early.status, 409, 'an action still waiting for its challenge is not sent back')
  t.equal(early.headers.get('location'), null)
  t.match(await early.text(), 'Not verified yet')

  const foreign: Array<Record<string, string>> = [
    { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'http://evil.example' }, { origin: site.origin }
  ]
  for (const headers of foreign) {
    const res = await complete(tracked.token, headers)
    t.equal(res.status, 403, `refused with ${JSON.stringify(headers)}`)
    t.equal(res.headers.get('location'), null)
  }
  const cancel = await fetch(`${emulator.origin}/challenge/cancel`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
    body: new URLSearchParams({ token: tracked.token })
  })
  t.equal(cancel.status, 403, 'a cross-site cancel is refused too')

  // Pass the challenge over the Client API, then come back to the page for the same action.
  const verify = await fetch(`${emulator.apiUrl}/client/verify/totp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tracked.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ verificationCode: nextCode(secret) })
  })
  t.equal(((await verify.json()) as { isVerified: boolean }).isVerified, true)
  const done = await complete(tracked.token)
  t.equal(done.status, 303)
  t.equal(done.headers.get('cache-control'), 'no-store')
  const location = new URL(done.headers.get('location') ?? '')
  t.equal(`${location.origin}${location.pathname}`, `${site.origin}/callback`)
  t.equal(location.searchParams.get('state'), 'abc')
  t.equal((await validate(location.searchParams.get('token') ?? '')).state, 'CHALLENGE_SUCCEEDED')

  const again = await page.goto(tracked.url)
  t.equal(again?.status(), 200)
  t.equal(await page.textContent('h1:visible'), 'Already verified')
  await page.click('#complete-form button')
  const visit = await returned()
  t.equal((await validate(visit.query.get('token') ?? '')).state, 'CHALLENGE_SUCCEEDED')
  assertClean(t, watch)
})

t.test('the page is server-rendered with scripts and styles from files only', async t => {
  const { emulator, track } = await servers(t)
  const res = await fetch((await track('static')).url)
  const html = await res.text()
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map(m => m[0])
  t.equal(scripts.length, 2)
  for (const tag of scripts) t.match(tag, /src="\/challenge\/assets\/[\w.-]+\.js"/, 'every script comes from a file')
  t.notMatch(html, /<script\b[^>]*>[^<]/, 'no inline script body')
  t.notMatch(html, /\sstyle=|<style/, 'no inline style')
  t.notMatch(html, /\son[a-z]+=/, 'no inline event handler')
  // Its words follow Accept-Language (test/hosted-i18n.test.ts); without one, English. The script's own
  // words come in an attribute it reads, so the page still needs no inline script.
  t.match(html, '<html lang="en">')
  t.match(res.headers.get('vary'), /(^|,\s*)accept-language(\s*,|$)/i, 'Vary: Accept-Language')
  const messages = /data-messages="([^"]*)"/.exec(html)?.[1] ?? ''
  const words = JSON.parse(messages.replaceAll('&quot;', '"').replaceAll('&#39;', '\'').replaceAll('&amp;', '&')) as Record<string, string>
  t.equal(words.checkingCode, 'Checking the code…', 'hosted.js\'s words, from data-messages')
  t.match(words.codeAccepted, /^Code accepted\. Returning you to localhost:\d+…$/, 'placeholders filled by the server')

  for (const [name, type] of [['hosted.js', 'text/javascript'], ['hosted.css', 'text/css'], ['icon.svg', 'image/svg+xml'], ['authsignal-browser.min.js', 'text/javascript']]) {
    const asset = await fetch(`${emulator.origin}/challenge/assets/${name}`)
    t.equal(asset.status, 200, name)
    t.match(asset.headers.get('content-type'), type)
    t.equal(asset.headers.get('x-content-type-options'), 'nosniff')
    const etag = asset.headers.get('etag') ?? ''
    t.ok(etag.length > 2)
    const cached = await fetch(`${emulator.origin}/challenge/assets/${name}`, { headers: { 'if-none-match': etag } })
    t.equal(cached.status, 304, `${name} revalidates`)
  }
})

t.test('URLs carrying a token are kept out of the request log', async t => {
  const lines: string[] = []
  const stream = { write: (line: string) => { lines.push(line) } }
  const { emulator, site, track } = await servers(t, { logger: { level: 'info', stream } })
  const tracked = await track('logged')
  const page = await fetch(tracked.url)
  t.equal(page.status, 200)
  const qr = await fetch(`${emulator.origin}/challenge/totp-qr?token=${tracked.token}`)
  t.equal(qr.status, 404)
  const cancel = await fetch(`${emulator.origin}/challenge/cancel`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
    body: new URLSearchParams({ token: tracked.token })
  })
  t.equal(cancel.status, 303)
  t.equal(cancel.headers.get('location'), `${site.origin}/callback?state=abc&token=${tracked.token}`)
  t.ok(lines.some(line => line.includes('/challenge/cancel')), 'requests are logged')
  t.notOk(lines.some(line => line.includes(tracked.token)), 'no log line holds the token')
})

t.test('return addresses: accepted origins and how the token is appended', async t => {
  const origins = ['http://localhost:5001']
  t.same(checkRedirectUrl(undefined, origins), { ok: false, reason: 'missing' })
  t.same(checkRedirectUrl('not a url', origins), { ok: false, reason: 'malformed' })
  t.same(checkRedirectUrl('javascript:alert(1)//http://localhost:5001', origins), { ok: false, reason: 'malformed' })
  t.same(checkRedirectUrl('http://localhost:5001@evil.example/', origins), { ok: false, reason: 'not-allowed', origin: 'http://evil.example' })
  t.same(checkRedirectUrl('http://localhost:5002/', origins), { ok: false, reason: 'not-allowed', origin: 'http://localhost:5002' })
  t.equal(checkRedirectUrl('HTTP://LOCALHOST:5001/cb', origins).ok, true, 'origins compare after normalisation')

  const url = (raw: string): URL => new URL(raw)
  t.equal(withToken(url('http://localhost:5001/cb'), 'a.b.c'), 'http://localhost:5001/cb?token=a.b.c')
  t.equal(withToken(url('http://localhost:5001/cb?'), 'a.b.c'), 'http://localhost:5001/cb?token=a.b.c')
  t.equal(withToken(url('http://localhost:5001/cb?x=1'), 'a.b.c'), 'http://localhost:5001/cb?x=1&token=a.b.c')
  t.equal(withToken(url('http://localhost:5001/cb?x=1&'), 'a.b.c'), 'http://localhost:5001/cb?x=1&token=a.b.c')
  t.equal(withToken(url('http://localhost:5001/cb?returnUrl=L2F+Yg==#top'), 'a.b.c'),
    'http://localhost:5001/cb?returnUrl=L2F+Yg==&token=a.b.c#top', 'the query is kept byte for byte, the fragment stays last')
})
