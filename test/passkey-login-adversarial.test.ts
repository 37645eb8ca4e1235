// The adversarial table: every way a token or a request could be bent to sign someone in. Each case
// runs against a fresh emulator + IdP over real HTTP and asserts: no sign-in (no IdP session, no
// redirect into oidc-provider), a 4xx (the login page with a generic message where the interaction is
// still usable), never a 5xx, and — where it matters — that the refusal had the intended reason.
// Where the emulator cannot produce an answer (isValid:true with another state, an HTML 200…), a
// scripted fake Authsignal — a real HTTP server — answers instead.
import { SignJWT } from 'jose'
import t, { type Test } from 'tap'
import Fastify from 'fastify'
import { recordPasskeySignIn, tokenFor } from '../servers/authsignal-emulator/dist/actions.js'
import { SCOPE_AFTER_CHALLENGE } from '../servers/authsignal-emulator/dist/tokens.js'
import type { AccountSeed } from '../servers/idp/accounts.js'
import { freePort, TEST_SECRET, TEST_TENANT, type RunningEmulator } from './fixtures/emulator.js'
import { extract, type HttpResponse } from './fixtures/http-session.js'
import { secretsInLogs, startStack, type Stack } from './fixtures/idp.js'
import {
  beginLogin, completeAtRp, completeTotpChallenge, enrollPasskey, getMfaReturn, interactionUrl, passkeySignIn, postPasskeyToken, postPassword,
  type LoginStart, type Passkey
} from './fixtures/oidc-flows.js'

interface Teardown { teardown (fn: () => unknown): void }

const PASSWORDS = { alice: 'alice-Adversarial-91b', bob: 'bob-Adversarial-5d2' }
const ACCOUNTS: AccountSeed[] = [
  { id: 'alice', username: 'alice', password: PASSWORDS.alice },
  { id: 'bob', username: 'bob', password: PASSWORDS.bob },
  { id: 'carol', username: 'carol', password: 'carol-Adversarial-77', active: false }
]
const GENERIC = 'We could not complete your sign-in. Please try again.'

const logLines: string[] = []
const secrets = new Set<string>([...Object.values(PASSWORDS), 'carol-Adversarial-77', TEST_SECRET])

async function stack (t: Teardown, options: Parameters<typeof startStack>[1] = {}): Promise<Stack> {
  const s = await startStack(t, { ...options, idp: { accounts: ACCOUNTS, logLines, ...options.idp } })
  for (const client of s.idp.clients) secrets.add(client.clientSecret)
  return s
}

// ---- tokens: real passkey ceremonies with the software authenticator, except where noted ----

const passkeys = new WeakMap<Stack, Map<string, Passkey>>()

async function passkeyOf (s: Stack, userId: string): Promise<Passkey> {
  const mine = passkeys.get(s) ?? new Map<string, Passkey>()
  passkeys.set(s, mine)
  const existing = mine.get(userId)
  if (existing != null) return existing
  const passkey = await enrollPasskey(s.emulator, userId, s.idp.origin)
  secrets.add(passkey.enrollmentToken)
  mine.set(userId, passkey)
  return passkey
}

/** What `passkey.signIn({ action })` gives `userId` (enrolling a passkey first). */
async function passkeySignInToken (s: Stack, userId: string, action = 'signInWithPasskey'): Promise<string> {
  const token = await passkeySignIn(s.emulator, await passkeyOf(s, userId), action)
  secrets.add(token)
  return token
}

/** The token `passkey.signUp` gives the app for its `add-passkey` action. */
async function enrollmentToken (s: Stack, userId: string): Promise<string> {
  return (await passkeyOf(s, userId)).enrollmentToken
}

/**
 * A passkey sign-in recorded the way /client/verify/passkey records one, for a user id no real
 * enrollment can create (the SDK cannot even track it: it would become a path).
 */
async function mintedPasskeyToken (emulator: RunningEmulator, userId: string): Promise<string> {
  emulator.ctx.store.upsertUser(userId)
  const record = await recordPasskeySignIn(emulator.ctx, userId, 'signInWithPasskey')
  const token = await tokenFor(emulator.ctx, record, SCOPE_AFTER_CHALLENGE)
  secrets.add(token)
  return token
}

/** Right claims, wrong key. */
async function forgedToken (s: Stack, userId: string): Promise<string> {
  const genuine = await passkeySignInToken(s, userId)
  const claims = JSON.parse(Buffer.from(genuine.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>
  const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode('not-the-tenant-secret-0123456789'))
  secrets.add(token)
  return token
}

/** A genuine passkey sign-in token whose lifetime is over. */
async function expiredToken (emulator: RunningEmulator, userId: string): Promise<string> {
  const record = await recordPasskeySignIn(emulator.ctx, userId, 'signInWithPasskey')
  const token = await new SignJWT({
    scope: SCOPE_AFTER_CHALLENGE,
    other: { tenantId: TEST_TENANT, publishableKey: TEST_TENANT, userId, actionCode: record.actionCode, idempotencyKey: record.idempotencyKey }
  }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(userId).setAudience(TEST_TENANT)
    .setIssuedAt(Math.floor(Date.now() / 1000) - 700).setExpirationTime('-60s').sign(new TextEncoder().encode(emulator.secret))
  secrets.add(token)
  return token
}

/** Completes alice's (or `username`'s) password + authenticator-app step in `start`, returning the unused MFA token. */
async function mfaToken (s: Stack, start: LoginStart, username: 'alice' | 'bob', stepOffset = 0): Promise<string> {
  const posted = await postPassword(s.idp, start, username, PASSWORDS[username])
  if (posted.status !== 303 || posted.location == null) throw new Error(`password step answered ${posted.status}`)
  const { token } = await completeTotpChallenge(s.emulator, posted.location, { stepOffset })
  secrets.add(token)
  return token
}

/** Password-MFA actions tracked at Authsignal so far. */
const signInActions = (s: Stack): number => [...s.emulator.ctx.store.actions.values()].filter(a => a.actionCode === 'signIn').length

// ---- what every case must show ----

function refusalReason (lines: string[], from: number): string | undefined {
  for (const line of lines.slice(from)) {
    const parsed = JSON.parse(line) as { event?: string, reason?: string }
    if (parsed.event === 'login-failed' && parsed.reason != null) return parsed.reason
  }
  return undefined
}

async function assertNoLogin (t: Test, s: Stack, start: LoginStart, response: HttpResponse, expect: { status?: number, message?: string, reason?: string, logFrom?: number }): Promise<void> {
  // 503 only where Authsignal itself failed (the scripted outage), never for anything a caller sends.
  if (expect.status === 503) t.equal(response.status, 503)
  else t.ok(response.status >= 400 && response.status < 500, `a 4xx (got ${response.status})`)
  if (expect.status != null) t.equal(response.status, expect.status)
  if (response.location != null) {
    t.notMatch(new URL(response.location).pathname, /^\/oidc\/auth\//, 'no redirect into oidc-provider')
  }
  t.equal(await start.session.cookie(`${s.idp.origin}/oidc/auth`, 'idp_session'), undefined, 'no IdP session')
  t.equal(response.headers.get('cache-control'), 'no-store')
  if (expect.message != null) {
    t.equal(extract(response.body, /role="alert" id="(?:login-error|error-message)" tabindex="-1" autofocus>([^<]+)</), expect.message, 'a generic message')
  }
  if (expect.reason != null) t.equal(refusalReason(logLines, expect.logFrom ?? 0), expect.reason, `refused because: ${expect.reason}`)
  t.notMatch(response.body, /eyJ[\w-]{5,}\./, 'no token in the page')
  t.notMatch(response.body, /AuthsignalError|stack|at [\w.]+ \(/, 'no internals in the page')
}


/** The login page of the same interaction, with the generic message: the interaction stays usable. */
function loginPage (start: LoginStart, response: HttpResponse, t: Test): void {
  t.match(response.body, `action="/interaction/${start.uid}/passkey" id="passkey-form"`, 'the login page of the same interaction')
}

// ---- token cases ----

t.test('a replayed passkey token is refused the second time', async t => {
  const s = await stack(t)
  const token = await passkeySignInToken(s, 'alice')
  const first = await beginLogin(s.idp)
  const ok = await postPasskeyToken(s.idp, first, token)
  t.equal(ok.status, 303, 'the first use signs in')
  t.equal((await completeAtRp(first, ok)).claims.sub, 'alice')
  const second = await beginLogin(s.idp)
  const from = logLines.length
  const replay = await postPasskeyToken(s.idp, second, token)
  await assertNoLogin(t, s, second, replay, { status: 400, message: GENERIC, reason: 'replayed', logFrom: from })
  loginPage(second, replay, t)
})

t.test('an add-passkey (enrollment) token at the passkey route is refused', async t => {
  const s = await stack(t)
  const start = await beginLogin(s.idp)
  const from = logLines.length
  const response = await postPasskeyToken(s.idp, start, await enrollmentToken(s, 'alice'))
  await assertNoLogin(t, s, start, response, { status: 400, message: GENERIC, reason: 'not-valid', logFrom: from })
})

t.test('a password-MFA token at the passkey route is refused', async t => {
  const s = await stack(t)
  const start = await beginLogin(s.idp)
  const token = await mfaToken(s, start, 'alice')
  const other = await beginLogin(s.idp)
  const from = logLines.length
  const response = await postPasskeyToken(s.idp, other, token)
  // The IdP asks Authsignal to validate for the passkey action: the emulator answers isValid:false.
  await assertNoLogin(t, s, other, response, { status: 400, message: GENERIC, reason: 'not-valid', logFrom: from })
  loginPage(other, response, t)
})

t.test('a passkey sign-in token at the MFA return is refused', async t => {
  const s = await stack(t)
  const start = await beginLogin(s.idp)
  await postPassword(s.idp, start, 'alice', PASSWORDS.alice)
  const from = logLines.length
  const response = await getMfaReturn(s.idp, start, await passkeySignInToken(s, 'alice'))
  await assertNoLogin(t, s, start, response, { status: 400, message: GENERIC, reason: 'not-valid', logFrom: from })
})

t.test('a passkey-verified token for the password-MFA action is refused at the passkey route (not a sign-in with a passkey)', async t => {
  const s = await stack(t)
  const start = await beginLogin(s.idp)
  const from = logLines.length
  // A passkey used as the second factor of a password sign-in yields signIn/PASSKEY, never signInWithPasskey.
  const response = await postPasskeyToken(s.idp, start, await passkeySignInToken(s, 'alice', 'signIn'))
  await assertNoLogin(t, s, start, response, { status: 400, message: GENERIC, reason: 'not-valid', logFrom: from })
})

t.test("another user's MFA token on the MFA return is refused", async t => {
  const s = await stack(t)
  const bobs = await beginLogin(s.idp)
  const bobToken = await mfaToken(s, bobs, 'bob')
  const alices = await beginLogin(s.idp)
  await postPassword(s.idp, alices, 'alice', PASSWORDS.alice)
  const from = logLines.length
  const response = await getMfaReturn(s.idp, alices, bobToken)
  await assertNoLogin(t, s, alices, response, { status: 400, message: GENERIC, reason: 'not-valid', logFrom: from })
  loginPage(alices, response, t)
})

t.test("the same user's MFA token from another interaction is refused (bound to this interaction's tracked action)", async t => {
  const s = await stack(t)
  const first = await beginLogin(s.idp)
  const token = await mfaToken(s, first, 'alice')
  const second = await beginLogin(s.idp)
  await postPassword(s.idp, second, 'alice', PASSWORDS.alice)
  const from = logLines.length
  const response = await getMfaReturn(s.idp, second, token)
  await assertNoLogin(t, s, second, response, { status: 400, message: GENERIC, reason: 'idempotency-key', logFrom: from })
})

t.test('an MFA return without a password step is refused', async t => {
  const s = await stack(t)
  const first = await beginLogin(s.idp)
  const token = await mfaToken(s, first, 'alice')
  const fresh = await beginLogin(s.idp)
  const response = await getMfaReturn(s.idp, fresh, token)
  await assertNoLogin(t, s, fresh, response, { status: 400, message: 'Your sign-in was interrupted. Please enter your username and password again.' })
})

t.test('a token for an account the IdP does not have is refused', async t => {
  const s = await stack(t)
  const start = await beginLogin(s.idp)
  const from = logLines.length
  const response = await postPasskeyToken(s.idp, start, await passkeySignInToken(s, 'mallory'))
  await assertNoLogin(t, s, start, response, { status: 400, message: GENERIC, reason: 'account', logFrom: from })
})

t.test('a token for a disabled account is refused', async t => {
  const s = await stack(t)
  const start = await beginLogin(s.idp)
  const from = logLines.length
  const response = await postPasskeyToken(s.idp, start, await passkeySignInToken(s, 'carol'))
  await assertNoLogin(t, s, start, response, { status: 400, message: GENERIC, reason: 'account', logFrom: from })
})

t.test('a token whose Authsignal user id is not a usable account id is refused', async t => {
  const s = await stack(t)
  const start = await beginLogin(s.idp)
  const from = logLines.length
  const response = await postPasskeyToken(s.idp, start, await mintedPasskeyToken(s.emulator, '../alice'))
  await assertNoLogin(t, s, start, response, { status: 400, message: GENERIC, reason: 'account', logFrom: from })
})

t.test('forged and expired tokens are refused', async t => {
  const s = await stack(t)
  const start = await beginLogin(s.idp)
  for (const [name, token] of [['forged', await forgedToken(s, 'alice')], ['expired', await expiredToken(s.emulator, 'alice')]]) {
    const from = logLines.length
    const response = await postPasskeyToken(s.idp, start, token)
    t.test(name, async t => { await assertNoLogin(t, s, start, response, { status: 400, message: GENERIC, reason: 'not-valid', logFrom: from }) })
  }
})

t.test('missing, empty, oversized, garbled and shapeless tokens never reach Authsignal', async t => {
  const s = await stack(t)
  const start = await beginLogin(s.idp)
  await postPassword(s.idp, start, 'alice', PASSWORDS.alice)
  const before = s.emulator.ctx.store.actions.size
  // A pass-through fault rule: it only counts the requests to /v1/validate.
  s.emulator.ctx.faults.set([{ path: '/v1/validate', latencyMs: 0 }])
  const passkeyUrl = interactionUrl(s.idp, start.uid, '/passkey')
  const mfaUrl = interactionUrl(s.idp, start.uid, '/mfa')
  const cases: Array<[string, () => Promise<HttpResponse>, number, string | undefined]> = [
    ['passkey: missing', async () => await start.session.postForm(passkeyUrl, {}), 400, 'The request was not valid. Please try again.'],
    ['passkey: empty', async () => await start.session.postForm(passkeyUrl, { token: '' }), 400, 'The request was not valid. Please try again.'],
    ['passkey: oversized', async () => await start.session.postForm(passkeyUrl, { token: `eyJ${'a'.repeat(5000)}.b.c` }), 400, 'The request was not valid. Please try again.'],
    ['passkey: garbled', async () => await start.session.postForm(passkeyUrl, { token: 'not a token <script>' }), 400, GENERIC],
    ['passkey: two parts', async () => await start.session.postForm(passkeyUrl, { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9' }), 400, GENERIC],
    ['passkey: huge body', async () => await start.session.postForm(passkeyUrl, { token: 'x'.repeat(20_000) }), 413, undefined],
    ['mfa: missing', async () => await start.session.get(mfaUrl), 400, 'The request was not valid. Please try again.'],
    ['mfa: empty', async () => await start.session.get(`${mfaUrl}?token=`), 400, 'The request was not valid. Please try again.'],
    ['mfa: oversized', async () => await start.session.get(`${mfaUrl}?token=${'a'.repeat(5000)}`), 400, 'The request was not valid. Please try again.'],
    ['mfa: garbled', async () => await start.session.get(`${mfaUrl}?token=%00%ff..`), 400, GENERIC],
    ['mfa: none-alg JWT shape', async () => await start.session.get(`${mfaUrl}?token=eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.`), 400, GENERIC]
  ]
  for (const [name, run, status, message] of cases) {
    const response = await run()
    t.test(name, async t => { await assertNoLogin(t, s, start, response, { status, ...(message != null ? { message } : {}) }) })
  }
  t.equal(s.emulator.ctx.faults.hits, 0, 'Authsignal /validate was never called')
  t.equal(s.emulator.ctx.store.actions.size, before, 'nothing changed at Authsignal')
})

// ---- binding to the interaction and the browser ----

t.test('interaction routes without the interaction cookie are refused', async t => {
  const s = await stack(t)
  const start = await beginLogin(s.idp)
  const token = await passkeySignInToken(s, 'alice')
  const responses = {
    page: await start.session.request(interactionUrl(s.idp, start.uid), { withoutCookies: true }),
    password: await start.session.request(interactionUrl(s.idp, start.uid, '/login'), { withoutCookies: true, method: 'POST', form: { username: 'alice', password: PASSWORDS.alice } }),
    passkey: await start.session.request(interactionUrl(s.idp, start.uid, '/passkey'), { withoutCookies: true, method: 'POST', form: { token } }),
    mfa: await start.session.request(`${interactionUrl(s.idp, start.uid, '/mfa')}?token=${token}`, { withoutCookies: true })
  }
  for (const [name, response] of Object.entries(responses)) {
    t.test(name, async t => {
      await assertNoLogin(t, s, start, response, { status: 400, message: 'This sign-in request has expired or was started in another browser. Go back to the application and sign in again.' })
    })
  }
  t.equal(signInActions(s), 0, 'no action tracked for the cookieless password post')
  // The token was not spent: the real browser can still use it.
  const ok = await postPasskeyToken(s.idp, start, token)
  t.equal(ok.status, 303)
})

t.test("another interaction's uid with this browser's interaction cookie is refused", async t => {
  const s = await stack(t)
  const mine = await beginLogin(s.idp)
  const theirs = await beginLogin(s.idp)
  const token = await passkeySignInToken(s, 'alice')
  // The browser holds the cookie for /interaction/<mine>; send it to /interaction/<theirs>/… by hand.
  const cookie = await mine.session.jar.getCookieString(interactionUrl(s.idp, mine.uid))
  for (const suffix of ['', '/passkey']) {
    const response = await mine.session.request(interactionUrl(s.idp, theirs.uid, suffix), {
      withoutCookies: true,
      headers: { cookie },
      ...(suffix === '/passkey' ? { method: 'POST', form: { token } } : {})
    })
    await assertNoLogin(t, s, mine, response, { status: 400 })
  }
  t.equal(await theirs.session.cookie(`${s.idp.origin}/oidc/auth`, 'idp_session'), undefined, 'the other browser was not signed in')
})

t.test('a finished interaction cannot be finished again', async t => {
  const s = await stack(t)
  const start = await beginLogin(s.idp)
  const token = await passkeySignInToken(s, 'alice')
  const ok = await postPasskeyToken(s.idp, start, token)
  t.equal(ok.status, 303)
  const again = await postPasskeyToken(s.idp, start, await passkeySignInToken(s, 'bob'))
  t.equal(again.status, 400, 'the interaction already has its result')
  const { claims } = await completeAtRp(start, ok)
  t.equal(claims.sub, 'alice', 'the first result stands')
  const after = await postPasskeyToken(s.idp, start, await passkeySignInToken(s, 'bob'))
  t.equal(after.status, 400, 'and after the interaction is consumed')
})

t.test('cross-site form posts are refused (login CSRF)', async t => {
  const s = await stack(t)
  const start = await beginLogin(s.idp)
  const token = await passkeySignInToken(s, 'alice')
  const url = interactionUrl(s.idp, start.uid, '/passkey')
  // What browsers send for a form another site submits, and what an older browser (no Sec-Fetch-Site) sends.
  const crossSite = await start.session.postForm(url, { token }, { 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' })
  const legacy = await start.session.postForm(url, { token }, { 'sec-fetch-site': undefined, origin: 'http://evil.example' })
  const sameSite = await start.session.postForm(interactionUrl(s.idp, start.uid, '/login'), { username: 'alice', password: PASSWORDS.alice }, { 'sec-fetch-site': 'same-site', origin: 'http://localhost:1' })
  for (const response of [crossSite, legacy, sameSite]) {
    await assertNoLogin(t, s, start, response, { status: 403 })
  }
  t.equal(signInActions(s), 0, 'nothing was tracked')
  // Our own page under `Referrer-Policy: no-referrer`: Chromium sends `Origin: null` with same-origin.
  const ownPage = await start.session.postForm(url, { token }, { 'sec-fetch-site': 'same-origin', origin: 'null' })
  t.equal(ownPage.status, 303, 'a form of our own page is accepted')
})

t.test('duplicate and array parameters are refused', async t => {
  const s = await stack(t)
  const start = await beginLogin(s.idp)
  const token = await passkeySignInToken(s, 'alice')
  await postPassword(s.idp, start, 'alice', PASSWORDS.alice)
  const cases = {
    'mfa: token twice': await start.session.get(`${interactionUrl(s.idp, start.uid, '/mfa')}?token=${token}&token=${token}`),
    'mfa: token[]': await start.session.get(`${interactionUrl(s.idp, start.uid, '/mfa')}?token[]=${token}`),
    'passkey: token twice': await start.session.postForm(interactionUrl(s.idp, start.uid, '/passkey'), { token: [token, token] }),
    'password: username twice': await start.session.postForm(interactionUrl(s.idp, start.uid, '/login'), { username: ['alice', 'bob'], password: PASSWORDS.alice }),
    'password: __proto__': await start.session.request(interactionUrl(s.idp, start.uid, '/login'), {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '__proto__[admin]=1&username=alice'
    })
  }
  for (const [name, response] of Object.entries(cases)) {
    t.test(name, async t => { await assertNoLogin(t, s, start, response, { status: 400 }) })
  }
  // The token was never spent: it still works.
  const ok = await postPasskeyToken(s.idp, start, token)
  t.equal(ok.status, 303)
})

t.test('JSON and other content types are refused on the form routes', async t => {
  const s = await stack(t)
  const start = await beginLogin(s.idp)
  const token = await passkeySignInToken(s, 'alice')
  const json = await start.session.request(interactionUrl(s.idp, start.uid, '/passkey'), { method: 'POST', json: { token } })
  const text = await start.session.request(interactionUrl(s.idp, start.uid, '/passkey'), { method: 'POST', body: `token=${token}`, headers: { 'content-type': 'text/plain' } })
  for (const response of [json, text]) await assertNoLogin(t, s, start, response, { status: 415 })
})

t.test('open-redirect attempts: refused as bad input, and the browser only ever goes where oidc-provider or the hosted page says', async t => {
  const vectors = ['//evil.example', '/\\evil.example', '/\t/evil.example', '\\\\evil.example', 'https:evil.example', 'javascript:alert(1)',
    'http://localhost:3000@evil.example', 'http://evil.example', '%2F%2Fevil.example']
  const s = await stack(t)
  const allowed = new Set([s.idp.origin, s.emulator.origin])
  for (const vector of vectors) {
    const start = await beginLogin(s.idp)
    const q = `returnUrl=${encodeURIComponent(vector)}&redirect_uri=${encodeURIComponent(vector)}&returnTo=${encodeURIComponent(vector)}`
    // A redirect target in the query or the body is input no route takes: 400, no redirect, nothing echoed.
    for (const [route, form] of [['/login', { username: 'alice', password: PASSWORDS.alice }], ['/passkey', { token: await passkeySignInToken(s, 'bob') }]] as const) {
      for (const [url, body] of [[`${interactionUrl(s.idp, start.uid, route)}?${q}`, form], [interactionUrl(s.idp, start.uid, route), { ...form, returnUrl: vector }]] as const) {
        const refused = await start.session.request(url, { method: 'POST', form: body })
        t.equal(refused.status, 400, `${JSON.stringify(vector)} at ${route}: refused`)
        t.equal(refused.location, undefined)
        t.notMatch(refused.body, /evil\.example/)
      }
    }
    // The interaction is unchanged and still usable: the password step goes to the hosted page, a
    // passkey to oidc-provider's resume URL, and the sign-in completes at the client.
    const password = await start.session.request(interactionUrl(s.idp, start.uid, '/login'), { method: 'POST', form: { username: 'alice', password: PASSWORDS.alice } })
    t.equal(password.status, 303)
    t.ok(allowed.has(new URL(password.location ?? 'http://x').origin), `${JSON.stringify(vector)}: to the hosted page`)
    const passkey = await start.session.request(interactionUrl(s.idp, start.uid, '/passkey'), { method: 'POST', form: { token: await passkeySignInToken(s, 'bob') } })
    t.equal(passkey.status, 303)
    t.equal(new URL(passkey.location ?? 'http://x').href, `${s.idp.origin}/oidc/auth/${start.uid}`, `${JSON.stringify(vector)}: the resume URL only`)
    const { claims } = await completeAtRp(start, passkey)
    t.equal(claims.sub, 'bob')
  }
  // The error pages' links never take a URL from the request either.
  const start = await beginLogin(s.idp)
  const page = await start.session.get(`${interactionUrl(s.idp, start.uid, '/mfa')}?returnUrl=//evil.example`)
  t.equal(page.status, 400)
  t.notMatch(page.body, /evil\.example/)
})

// ---- answers only a scripted Authsignal can give (checklist A8) ----

interface Scripted { validate: Record<string, unknown> | string, calls: Array<Record<string, unknown>>, idempotencyKeys: string[] }

async function scriptedAuthsignal (t: Teardown, idpPort: number): Promise<{ apiUrl: string, script: Scripted }> {
  const script: Scripted = { validate: {}, calls: [], idempotencyKeys: [] }
  const app = Fastify()
  const port = await freePort()
  app.post<{ Params: { userId: string }, Body: { idempotencyKey: string } }>('/v1/users/:userId/actions/:action', async request => {
    script.idempotencyKeys.push(request.body.idempotencyKey)
    return { state: 'CHALLENGE_REQUIRED', url: `http://localhost:${port}/challenge?token=x`, token: 'x', isEnrolled: true, idempotencyKey: request.body.idempotencyKey }
  })
  app.post<{ Body: Record<string, unknown> }>('/v1/validate', async (request, reply) => {
    script.calls.push(request.body)
    if (typeof script.validate === 'string') return await reply.type('text/html').send(script.validate)
    if (script.validate.status === 500) return await reply.code(500).send({ error: 'unexpected_error', errorDescription: 'Injected failure.' })
    return script.validate
  })
  await app.listen({ port, host: 'localhost' })
  t.teardown(() => app.close())
  void idpPort
  return { apiUrl: `http://localhost:${port}/v1`, script }
}

t.test('strict checks on what Authsignal answers', async t => {
  const idpPort = await freePort()
  const { apiUrl, script } = await scriptedAuthsignal(t, idpPort)
  const s = await stack(t, { idp: { port: idpPort, authsignal: { apiUrl } } })
  const now = new Date().toISOString()
  const passkeyOk = { isValid: true, state: 'CHALLENGE_SUCCEEDED', stateUpdatedAt: now, userId: 'alice', action: 'signInWithPasskey', idempotencyKey: 'k-1', verificationMethod: 'PASSKEY' }
  const cases: Array<[string, Record<string, unknown> | string, string]> = [
    ['isValid true but state ALLOW', { ...passkeyOk, state: 'ALLOW' }, 'state'],
    ['isValid true but CHALLENGE_REQUIRED', { ...passkeyOk, state: 'CHALLENGE_REQUIRED' }, 'state'],
    ['isValid "true" as a string', { ...passkeyOk, isValid: 'true' }, 'not-valid'],
    ['no action', { ...passkeyOk, action: undefined }, 'action'],
    ['another action', { ...passkeyOk, action: 'add-passkey' }, 'action'],
    ['not a passkey', { ...passkeyOk, verificationMethod: 'AUTHENTICATOR_APP' }, 'method'],
    ['no verification method', { ...passkeyOk, verificationMethod: undefined }, 'method'],
    ['succeeded too long ago', { ...passkeyOk, stateUpdatedAt: new Date(Date.now() - 3600_000).toISOString() }, 'stale'],
    ['no stateUpdatedAt', { ...passkeyOk, stateUpdatedAt: undefined }, 'stale'],
    ['no idempotency key', { ...passkeyOk, idempotencyKey: undefined }, 'not-valid'],
    ['HTML with status 200', '<html><body>maintenance</body></html>', 'not-valid'],
    ['a 500 from Authsignal (its error carries the secret in the request config)', { status: 500 }, 'unavailable']
  ]
  for (const [name, answer, reason] of cases) {
    const start = await beginLogin(s.idp)
    script.validate = answer
    const from = logLines.length
    const response = await postPasskeyToken(s.idp, start, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXgtMTIz')
    t.test(name, async t => {
      await assertNoLogin(t, s, start, response, {
        status: reason === 'unavailable' ? 503 : 400, reason, logFrom: from, message: reason === 'unavailable' ? 'Sign-in is temporarily unavailable. Please try again in a moment.' : GENERIC
      })
    })
  }
  t.ok(script.calls.every(call => call.action === 'signInWithPasskey' && call.userId === undefined), 'validated for the passkey action, any user')

  // The same answer with everything right does sign in: the cases above fail for their reason only.
  script.validate = passkeyOk
  const start = await beginLogin(s.idp)
  const ok = await postPasskeyToken(s.idp, start, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXgtMTIz')
  t.equal(ok.status, 303)
  t.equal((await completeAtRp(start, ok)).claims.sub, 'alice')

  // MFA: the user and the tracked action's idempotency key must both match this interaction.
  const mfa = await beginLogin(s.idp)
  const posted = await postPassword(s.idp, mfa, 'alice', PASSWORDS.alice)
  t.equal(posted.status, 303)
  const key = script.idempotencyKeys.at(-1)
  const mfaOk = { ...passkeyOk, action: 'signIn', verificationMethod: 'AUTHENTICATOR_APP', idempotencyKey: key }
  for (const [name, answer, reason] of [
    ['MFA: another user', { ...mfaOk, userId: 'bob' }, 'user'],
    ['MFA: another tracked action', { ...mfaOk, idempotencyKey: 'someone-elses-key' }, 'idempotency-key']
  ] as Array<[string, Record<string, unknown>, string]>) {
    script.validate = answer
    const from = logLines.length
    const response = await getMfaReturn(s.idp, mfa, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXgtMTIz')
    t.test(name, async t => { await assertNoLogin(t, s, mfa, response, { status: 400, reason, logFrom: from, message: GENERIC }) })
  }
  t.match(script.calls.at(-1), { action: 'signIn', userId: 'alice' }, 'MFA validation names the expected user and action')
  script.validate = mfaOk
  const done = await getMfaReturn(s.idp, mfa, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXgtMTIz')
  t.equal(done.status, 303)
  t.equal((await completeAtRp(mfa, done)).claims.sub, 'alice')
})

t.test('the adversarial run left no secret in the IdP logs', async t => {
  t.ok(logLines.length > 100, `captured ${logLines.length} log lines`)
  t.ok(logLines.some(line => line.includes('"authsignal":{"call":"validateChallenge"') && line.includes('Authsignal call failed')), 'Authsignal errors are logged (scrubbed), under one key')
  t.same(secretsInLogs(logLines, secrets), [])
})
