// Authsignal failing under the demo (checklist F-1, F-2, F-4), injected through the local Authsignal
// server: slow beyond the deadline, 5xx, dropped connections, and refused connections (the server gone).
// For each: the login page still renders, users who need MFA fail closed with words, the passkey route and
// the MFA return fail closed, the app's enrollment route answers 503 in words, nothing hangs past the
// deadline, the SDK's retries stay bounded, and there is no crash and no unhandled rejection.
import t, { type Test } from 'tap'
import { addVirtualAuthenticator, launchBrowser, watchPage } from './fixtures/browser.js'
import { signInToApp, startDemoStack, type DemoStack } from './fixtures/client-app.js'
import { statusText } from './fixtures/elements-browser.js'
import { HttpSession, type HttpResponse } from './fixtures/http-session.js'
import { enrollPasskey, passkeySignIn } from './fixtures/oidc-flows.js'

const DEADLINE_MS = 500
// A hang would blow through this; the deadline keeps every answer far below it.
const CLIENT_TIMEOUT_MS = 10_000

const unhandled: unknown[] = []
process.on('unhandledRejection', reason => { unhandled.push(reason) })

type Fault = 'slow' | '5xx' | 'dropped' | 'refused'

async function withTimeout<T> (what: string, call: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([call, new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`${what} hung past ${CLIENT_TIMEOUT_MS} ms`)) }, CLIENT_TIMEOUT_MS) })])
  } finally { clearTimeout(timer) }
}

async function stackWithUsers (t: Test): Promise<{ stack: DemoStack, passkeyToken: string, mfaUid: string, mfaToken: string, session: HttpSession }> {
  const stack = await startDemoStack(t, {
    idp: { passkeyLogin: { authsignalTimeoutMs: DEADLINE_MS } },
    client: { authsignalTimeoutMs: DEADLINE_MS }
  })
  const session = new HttpSession()
  // alice has an authenticator app (MFA required from now on) and a passkey.
  await signInToApp(stack, session, 'alice')
  const passkey = await enrollPasskey(stack.emulator, 'alice', stack.idp.origin)
  const passkeyToken = await passkeySignIn(stack.emulator, passkey)
  // An MFA return in waiting: password accepted, hosted page done, token not yet brought back.
  const login = await session.follow(`${stack.client.origin}/login?reauth=1`)
  const mfaUid = new URL(login.response.url).pathname.split('/')[2]
  const posted = await session.postForm(`${stack.idp.origin}/interaction/${mfaUid}/login`, { username: 'alice', password: 'alice' })
  // Any well-formed token: the MFA return must fail at the Authsignal call, before judging it.
  const mfaToken = await passkeySignIn(stack.emulator, passkey)
  t.equal(posted.status, 303)
  return { stack, passkeyToken, mfaUid, mfaToken, session }
}

async function inject (stack: DemoStack, fault: Fault): Promise<void> {
  const faults = stack.emulator.ctx.faults
  if (fault === 'slow') faults.set([{ path: '/v1', latencyMs: 20_000 }])
  if (fault === '5xx') faults.set([{ path: '/v1', status: 503 }])
  if (fault === 'dropped') faults.set([{ path: '/v1', drop: true }])
  if (fault === 'refused') await stack.emulator.stop()
}

for (const fault of ['slow', '5xx', 'dropped', 'refused'] as const) {
  t.test(`Authsignal ${fault}: everything fails closed, in words, within the deadline`, async t => {
    const { stack, passkeyToken, mfaUid, mfaToken, session } = await stackWithUsers(t)
    const { idp, client, emulator } = stack
    await inject(stack, fault)
    const timings: Record<string, number> = {}
    const timed = async (what: string, call: Promise<HttpResponse>): Promise<HttpResponse> => {
      const started = Date.now()
      const response = await withTimeout(what, call)
      timings[what] = Date.now() - started
      return response
    }

    // The login page needs no server-side Authsignal call: it renders, passkey elements and all.
    const fresh = new HttpSession()
    const page = await withTimeout('login page', fresh.follow(`${client.origin}/login`))
    t.equal(page.response.status, 200)
    t.match(page.response.body, '<passkey-signin-button')
    const uid = new URL(page.response.url).pathname.split('/')[2]

    // Password for a user who needs MFA: refused with words (503), not let through.
    const password = await timed('password', fresh.postForm(`${idp.origin}/interaction/${uid}/login`, { username: 'alice', password: 'alice' }))
    t.equal(password.status, 503)
    t.match(password.body, 'Sign-in is temporarily unavailable')
    t.notOk(password.location, 'no redirect: nobody signed in')
    // bob has no authenticator: under the default policy he must enroll first, so he is refused too.
    const bob = await timed('password (enrollment due)', fresh.postForm(`${idp.origin}/interaction/${uid}/login`, { username: 'bob', password: 'bob' }))
    t.equal(bob.status, 503)

    const passkey = await timed('passkey route', fresh.postForm(`${idp.origin}/interaction/${uid}/passkey`, { token: passkeyToken }))
    t.equal(passkey.status, 503)
    t.match(passkey.body, 'Sign-in is temporarily unavailable')
    const mfa = await timed('MFA return', session.get(`${idp.origin}/interaction/${mfaUid}/mfa?token=${encodeURIComponent(mfaToken)}`))
    t.equal(mfa.status, 503)

    // The app: the enrollment route answers 503 in words; the passkeys page renders and says so.
    const token = await timed('enrollment token', session.request(`${client.origin}/passkeys/enrollment-token`, { method: 'POST', json: {} }))
    t.equal(token.status, 503)
    t.same(JSON.parse(token.body), { error: 'unavailable', message: 'Passkeys are temporarily unavailable. Please try again in a moment.' })
    const passkeysPage = await timed('passkeys page', session.get(`${client.origin}/passkeys`))
    t.equal(passkeysPage.status, 200)
    t.match(passkeysPage.body, 'could not be loaded')
    t.equal((await session.get(`${client.origin}/`)).status, 200, 'the app still answers')
    t.equal((await fresh.get(`${idp.origin}/.well-known/openid-configuration`)).status, 200, 'the IdP still answers')
    t.comment(`${fault}: ${Object.entries(timings).map(([k, v]) => `${k} ${v} ms`).join(', ')}`)

    if (fault === '5xx' || fault === 'dropped') {
      // Bounded retries: a POST answered 5xx is not retried; a dropped connection is retried once.
      emulator.ctx.faults.set([{ path: '/v1/validate', ...(fault === '5xx' ? { status: 503 } : { drop: true }) }])
      await fresh.postForm(`${idp.origin}/interaction/${uid}/passkey`, { token: passkeyToken })
      t.equal(emulator.ctx.faults.hits, fault === '5xx' ? 1 : 2, 'the SDK tried at most twice')
    }
    if (fault !== 'refused') {
      // Once Authsignal is back, the same interaction works: the failures changed nothing.
      emulator.ctx.faults.clear()
      const recovered = await fresh.postForm(`${idp.origin}/interaction/${uid}/passkey`, { token: await passkeySignIn(emulator, await enrollPasskey(emulator, 'bob', idp.origin)) })
      t.equal(recovered.status, 303, 'signed in after recovery')
    }
    await new Promise(resolve => setTimeout(resolve, 50))
    t.same(unhandled, [], 'no unhandled rejection')
  })
}

t.test('in the browser, with Authsignal refusing connections the passkey button says so, nothing throws, and the password form stays usable', async t => {
  const browser = await launchBrowser(t)
  const stack = await startDemoStack(t)
  await stack.emulator.stop()
  const context = await browser.newContext()
  t.teardown(() => context.close())
  const page = await context.newPage()
  const watch = watchPage(page, [/ERR_CONNECTION_REFUSED|Failed to load resource/])
  await addVirtualAuthenticator(page)
  await page.goto(`${stack.client.origin}/login`)
  await page.waitForURL(url => url.origin === stack.idp.origin)
  await page.evaluate(async () => { await customElements.whenDefined('passkey-signin-button') })
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
  await page.waitForFunction(() => {
    const status = document.querySelector('passkey-signin-button')?.shadowRoot?.querySelector('[part="status"]')
    return (status?.textContent ?? '').trim().length > 0
  })
  const message = await statusText(page, 'passkey-signin-button')
  t.match(message, /unavailable|reach|connect|try again/i, `the button says what happened: "${message}"`)
  t.equal(await page.locator('#password').isEnabled(), true, 'the password form is still usable')
  t.same(watch.errors, [], 'no uncaught error')
  t.same(watch.cspViolations, [])
})
