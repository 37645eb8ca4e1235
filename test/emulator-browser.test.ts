// The real @authsignal/browser (its prebuilt bundle, as a page would load it) in Chromium with a CDP
// virtual authenticator, against the emulator: enrollment, modal sign-in and autofill sign-in from an
// expected origin, each token checked with the real @authsignal/node; a page on another origin is refused.
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import t from 'tap'
import { addVirtualAuthenticator, launchBrowser, watchPage } from './fixtures/browser.js'
import { freePort, startEmulator, type RunningEmulator } from './fixtures/emulator.js'

const SDK = await readFile(join(import.meta.dirname, '..', 'node_modules', '@authsignal', 'browser', 'dist', 'index.min.js'))
const PAGE = '<!doctype html><title>SDK page</title><script src="/sdk.js"></script><input id="username" autocomplete="username webauthn">'

interface Teardown { teardown (fn: () => unknown): void }

/** A page origin serving the SDK bundle and a page with a webauthn-autocomplete input. */
async function site (t: Teardown): Promise<string> {
  const port = await freePort()
  const server: Server = createServer((request, response) => {
    if (request.url === '/sdk.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(SDK)
    else response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE)
  })
  await new Promise<void>(resolve => server.listen(port, 'localhost', resolve))
  t.teardown(() => new Promise(resolve => server.close(resolve)))
  return `http://localhost:${port}`
}

const browser = await launchBrowser(t)

async function openPage (t: Teardown, origin: string): Promise<Page> {
  const context = await browser.newContext()
  t.teardown(() => context.close())
  const page = await context.newPage()
  await addVirtualAuthenticator(page)
  await page.goto(origin)
  return page
}

/** Runs one SDK call in the page; answers what it resolved to, or the error it threw. */
async function sdk (page: Page, emulator: RunningEmulator, call: 'signUp' | 'signIn' | 'autofill', token?: string): Promise<{ data?: { token?: string, userId?: string }, error?: string, thrown?: string }> {
  return await page.evaluate(async ({ call, token, tenantId, baseUrl }) => {
    const client = new (window as any).authsignal.Authsignal({ tenantId, baseUrl })
    try {
      if (call === 'signUp') return await client.passkey.signUp({ token })
      if (call === 'signIn') return await client.passkey.signIn({ action: 'signInWithPasskey' })
      const pending = client.passkey.signIn({ action: 'signInWithPasskey', autofill: true })
      ;(window as any).autofill = pending
      return { data: { token: 'armed' } }
    } catch (error) {
      return { thrown: String(error) }
    }
  }, { call, token, tenantId: emulator.tenantId, baseUrl: emulator.apiUrl })
}

t.test('from an expected origin: signUp, then signIn() and signIn({ autofill: true }) each give a token that validates for the right user', async t => {
  const origin = await site(t)
  const emulator = await startEmulator(t, { expectedOrigins: [origin] })
  const client = emulator.serverClient()
  const page = await openPage(t, origin)
  const watch = watchPage(page)

  const { token } = await client.track({ userId: 'alice', action: 'add-passkey', attributes: { username: 'alice', scope: 'add:authenticators' } })
  const signedUp = await sdk(page, emulator, 'signUp', token)
  t.type(signedUp.data?.token, 'string', 'signUp resolved with a token')
  const enrolled = await client.validateChallenge({ token: signedUp.data!.token! })
  t.same([enrolled.isValid, enrolled.state, enrolled.userId, enrolled.action], [true, 'CHALLENGE_SUCCEEDED', 'alice', 'add-passkey'])
  t.equal((await client.getAuthenticators({ userId: 'alice' })).length, 1)

  const modal = await sdk(page, emulator, 'signIn')
  t.equal(modal.data?.userId, 'alice')
  const signedIn = await client.validateChallenge({ token: modal.data!.token!, action: 'signInWithPasskey' })
  t.same([signedIn.isValid, signedIn.state, signedIn.userId, signedIn.verificationMethod], [true, 'CHALLENGE_SUCCEEDED', 'alice', 'PASSKEY'])

  // Autofill: armed on load, completed when the user picks the passkey from the username field.
  t.equal((await sdk(page, emulator, 'autofill')).data?.token, 'armed')
  await page.click('#username')
  const autofill = await page.evaluate(async () => await (window as any).autofill) as { data?: { token?: string, userId?: string } }
  t.equal(autofill.data?.userId, 'alice')
  const viaAutofill = await client.validateChallenge({ token: autofill.data!.token!, action: 'signInWithPasskey' })
  t.same([viaAutofill.isValid, viaAutofill.state, viaAutofill.userId], [true, 'CHALLENGE_SUCCEEDED', 'alice'])
  t.not(viaAutofill.idempotencyKey, signedIn.idempotencyKey, 'each sign-in is its own action')
  t.same(watch.errors, [])
})

t.test('a page on an origin that is not expected is refused: no CORS answer, no enrollment, no sign-in', async t => {
  const expected = await site(t)
  const foreign = await site(t)
  const emulator = await startEmulator(t, { expectedOrigins: [expected] })
  const client = emulator.serverClient()

  // Alice has a passkey, registered from the expected origin.
  const home = await openPage(t, expected)
  const { token } = await client.track({ userId: 'alice', action: 'add-passkey', attributes: { scope: 'add:authenticators' } })
  t.type((await sdk(home, emulator, 'signUp', token)).data?.token, 'string')

  const page = await openPage(t, foreign)
  const watch = watchPage(page, [/CORS|Failed to load resource|ERR_FAILED/])
  const { token: second } = await client.track({ userId: 'bob', action: 'add-passkey', attributes: { scope: 'add:authenticators' } })
  const signUp = await sdk(page, emulator, 'signUp', second)
  t.match(signUp.thrown, /TypeError|Failed to fetch/, 'the browser blocks the cross-origin call')
  const signIn = await sdk(page, emulator, 'signIn')
  t.match(signIn.thrown, /TypeError|Failed to fetch/)
  t.same(await client.getAuthenticators({ userId: 'bob' }), [], 'nothing was enrolled')
  const signIns = [...emulator.ctx.store.actions.values()].filter(a => a.actionCode === 'signInWithPasskey')
  t.same(signIns, [], 'no sign-in was recorded')
  t.same(watch.errors, [])
})
