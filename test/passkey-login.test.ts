// The passkey-login plugin in the demo IdP, over real HTTP: a real RP (openid-client) signs in through
// password + Authsignal MFA (the hosted page's part done through the Client API, as a user would),
// Authsignal's other answers (BLOCK, optional MFA, outages, a silent API), the login page's contract
// markup and headers, and a capture of every IdP log line that must hold no secret.
import t from 'tap'
import type { AccountSeed } from '../servers/idp/accounts.js'
import { extract } from './fixtures/http-session.js'
import { secretsInLogs, startStack } from './fixtures/idp.js'
import {
  beginLogin, completeAtRp, completePasskeyChallenge, completeTotpChallenge, enrollPasskey, getMfaReturn, interactionUrl,
  passkeySignIn, postPasskeyToken, postPassword, signInWithPasswordAndTotp, trackTokenOf
} from './fixtures/oidc-flows.js'

// Distinctive passwords, so the log capture can look for them.
const PASSWORDS = { alice: 'alice-Password-4f9c2', bob: 'bob-Password-77e1d' }
const ACCOUNTS: AccountSeed[] = [
  { id: 'alice', username: 'alice', password: PASSWORDS.alice, name: 'Alice', email: 'alice@example.test' },
  { id: 'bob', username: 'bob', password: PASSWORDS.bob, name: 'Bob' },
  { id: 'carol', username: 'carol', password: 'carol-Password-0a1b2', active: false }
]
const WRONG_PASSWORD = 'wrong-Password-3c3c3'

const logLines: string[] = []
const secrets = new Set<string>([...Object.values(PASSWORDS), WRONG_PASSWORD, 'carol-Password-0a1b2'])

interface Teardown { teardown (fn: () => unknown): void }

async function stack (t: Teardown, options: Parameters<typeof startStack>[1] = {}): Promise<Awaited<ReturnType<typeof startStack>>> {
  const s = await startStack(t, { ...options, idp: { accounts: ACCOUNTS, logLines, ...options.idp } })
  secrets.add(s.emulator.secret)
  for (const client of s.idp.clients) secrets.add(client.clientSecret)
  return s
}

t.test('the login page follows the contract markup and sends strict headers', async t => {
  const { idp, emulator } = await stack(t)
  const start = await beginLogin(idp)
  const { page, uid } = start
  t.equal(page.status, 200)
  t.equal(page.headers.get('cache-control'), 'no-store')
  t.equal(page.headers.get('referrer-policy'), 'no-referrer')
  t.equal(page.headers.get('x-frame-options'), 'DENY')
  t.match(page.headers.get('content-type'), /^text\/html/)
  const csp = page.headers.get('content-security-policy') ?? ''
  t.match(csp, /script-src 'self'(;|$)/, 'scripts only from the IdP')
  t.match(csp, /frame-ancestors 'none'/)
  t.match(csp, new RegExp(`connect-src 'self' ${emulator.origin}`), 'the browser SDK may call Authsignal')
  t.match(csp, new RegExp(`form-action 'self' ${emulator.origin} http://localhost:9`), 'forms may be redirected to the hosted page and the RP')

  const body = page.body
  t.match(body, `<form method="post" action="/interaction/${uid}/login" id="password-form">`)
  t.match(body, `<passkey-input form="passkey-form" name="token" tenant-id="${emulator.tenantId}" api-url="${emulator.apiUrl}" action="signInWithPasskey">`)
  t.match(body, '<input id="username" name="username" autocomplete="username webauthn"')
  t.match(body, '<input id="password" type="password" name="password" autocomplete="current-password"')
  t.match(body, `<form method="post" action="/interaction/${uid}/passkey" id="passkey-form">`)
  t.match(body, `<passkey-signin-button name="token" tenant-id="${emulator.tenantId}" api-url="${emulator.apiUrl}" action="signInWithPasskey">`)
  t.match(body, 'to continue to <strong>Test RP</strong>')
  t.notMatch(body, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script')
  t.notMatch(body, /<style|style=/, 'no inline style')

  const scripts = [...body.matchAll(/<script type="module" src="([^"]+)" integrity="sha384-[A-Za-z0-9+/=]+" crossorigin="anonymous"><\/script>/g)].map(m => m[1])
  t.ok(scripts.some(src => /^\/passkey-elements\/passkey-input-[\w-]+\.js$/.test(src)), 'the passkey-input module is loaded')
  t.ok(scripts.some(src => /^\/passkey-elements\/passkey-signin-button-[\w-]+\.js$/.test(src)), 'the passkey-signin-button module is loaded')
  for (const src of scripts) {
    const asset = await start.session.get(`${idp.origin}${src}`)
    t.equal(asset.status, 200, `${src} is served`)
    t.match(asset.headers.get('content-type'), /javascript/)
    t.match(asset.headers.get('cache-control'), /immutable/)
  }
  const stylesheet = extract(body, /<link rel="stylesheet" href="([^"]+)">/) ?? ''
  const css = await start.session.get(`${idp.origin}${stylesheet}`)
  t.equal(css.status, 200)
  t.match(css.headers.get('content-type'), /^text\/css/)
  t.match(css.headers.get('cache-control'), /immutable/)

  const cookies = await start.session.cookies(`${idp.origin}/interaction/${uid}`)
  t.ok(cookies.length > 0)
  for (const cookie of cookies) {
    t.match(cookie.key, /^idp_/, `cookie ${cookie.key} is prefixed`)
    t.equal(cookie.httpOnly, true, `cookie ${cookie.key} is HttpOnly`)
    t.equal(cookie.sameSite, 'lax')
  }
})

t.test('password + MFA (enroll, then challenge) ends in an ID token for the right subject', async t => {
  const { idp, emulator } = await stack(t)

  // First sign-in: alice has no authenticator, so the IdP sends her to enroll one (the default policy).
  const start = await beginLogin(idp)
  const posted = await postPassword(idp, start, 'alice', PASSWORDS.alice)
  t.equal(posted.status, 303, 'a 303, never a 307 that would re-POST the password')
  t.equal(new URL(posted.location ?? '').origin, emulator.origin, 'to the hosted page')
  t.equal(new URL(posted.location ?? '').pathname, '/challenge')
  t.equal(posted.headers.get('cache-control'), 'no-store')
  const trackToken = trackTokenOf(posted.location ?? '')
  secrets.add(trackToken)
  const action = [...emulator.ctx.store.actions.values()].find(a => a.userId === 'alice' && a.actionCode === 'signIn')
  t.equal(action?.redirectUrl, `${idp.origin}/interaction/${start.uid}/mfa`, 'the hosted page returns into this interaction')
  t.equal(action?.state, 'ALLOW', 'unenrolled: Authsignal allowed, the IdP still asked for enrollment')

  const { token, secret } = await completeTotpChallenge(emulator, posted.location ?? '')
  secrets.add(token).add(secret)
  const back = await getMfaReturn(idp, start, token)
  t.equal(back.status, 303)
  t.equal(new URL(back.location ?? '').pathname, `/oidc/auth/${start.uid}`, 'the redirect target comes from oidc-provider')
  const { claims, tokens } = await completeAtRp(start, back)
  for (const value of [tokens.access_token, tokens.id_token]) if (value != null) secrets.add(value)
  t.equal(claims.sub, 'alice')
  t.equal(claims.iss, idp.issuer)
  t.same(claims.amr, ['pwd', 'mfa', 'otp'])
  t.type(claims.auth_time, 'number', 'auth_time is issued')
  t.equal(emulator.ctx.store.authenticatorsOf('alice').length, 1, 'alice now has an authenticator app')
  // Cookie values, except interaction uids: those are path segments of every interaction URL by design
  // (the interaction cookie is bound by its signature, which is in this list).
  for (const value of await start.session.allCookieValues()) if (value !== start.uid) secrets.add(value)

  // Second sign-in: enrolled, so Authsignal asks for a challenge.
  const second = await signInWithPasswordAndTotp(idp, emulator, 'alice', PASSWORDS.alice, { secret, stepOffset: 1 })
  t.equal(second.sub, 'alice')
  const challenged = [...emulator.ctx.store.actions.values()].filter(a => a.userId === 'alice' && a.actionCode === 'signIn')
  t.equal(challenged.length, 2)
  t.ok(challenged.every(a => a.state === 'CHALLENGE_SUCCEEDED'))
})

t.test('passkey sign-in through the Client API (software authenticator) ends in an ID token for the right subject', async t => {
  const { idp, emulator } = await stack(t)
  const passkey = await enrollPasskey(emulator, 'bob', idp.origin)
  const start = await beginLogin(idp)
  const token = await passkeySignIn(emulator, passkey)
  secrets.add(token)
  // The POST reads its interaction once: the result is saved on the instance loaded to check it.
  const Interaction = idp.app.oidc.Interaction as unknown as { find: (...args: unknown[]) => Promise<unknown> }
  const find = Interaction.find
  let reads = 0
  Interaction.find = async (...args) => { reads++; return await find.apply(Interaction, args) }
  const response = await postPasskeyToken(idp, start, token)
  Interaction.find = find
  t.equal(reads, 1, 'the interaction is read once')
  t.equal(response.status, 303)
  t.equal(response.location, `${idp.origin}/oidc/auth/${start.uid}`, 'the redirect target comes from oidc-provider')
  t.equal(response.headers.get('cache-control'), 'no-store')
  const { claims, tokens } = await completeAtRp(start, response)
  for (const value of [tokens.access_token, tokens.id_token]) if (value != null) secrets.add(value)
  t.equal(claims.sub, 'bob')
  t.same(claims.amr, ['hwk'])
  const action = [...emulator.ctx.store.actions.values()].find(a => a.userId === 'bob' && a.actionCode === 'signInWithPasskey')
  t.equal(action?.verificationMethod, 'PASSKEY', 'Authsignal recorded a passkey sign-in for the expected action')
  t.ok(logLines.some(line => line.includes('"method":"passkey"') && line.includes('"accountId":"bob"')), 'the sign-in is logged with its method')
})

t.test('a passkey works as the second factor on the hosted page', async t => {
  const { idp, emulator } = await stack(t)
  const passkey = await enrollPasskey(emulator, 'alice', idp.origin)
  const start = await beginLogin(idp)
  const posted = await postPassword(idp, start, 'alice', PASSWORDS.alice)
  t.equal(posted.status, 303)
  const token = await completePasskeyChallenge(emulator, posted.location ?? '', passkey)
  secrets.add(token)
  const back = await getMfaReturn(idp, start, token)
  t.equal(back.status, 303)
  const { claims } = await completeAtRp(start, back)
  t.equal(claims.sub, 'alice')
  t.same(claims.amr, ['pwd', 'mfa', 'hwk'])
})

t.test('a wrong password and an unknown user get the same answer, and Authsignal is not called', async t => {
  const { idp, emulator } = await stack(t)
  const start = await beginLogin(idp)
  const wrong = await postPassword(idp, start, 'alice', WRONG_PASSWORD)
  const unknown = await postPassword(idp, start, 'mallory', WRONG_PASSWORD)
  const disabled = await postPassword(idp, start, 'carol', 'carol-Password-0a1b2')
  for (const [name, response] of Object.entries({ wrong, unknown, disabled })) {
    t.equal(response.status, 401, name)
    t.equal(extract(response.body, /<p class="error" role="alert" id="login-error" tabindex="-1" autofocus>([^<]+)<\/p>/), 'The username or password is incorrect.', name)
    t.equal(response.headers.get('cache-control'), 'no-store')
  }
  t.notMatch(wrong.body, WRONG_PASSWORD, 'the password is not echoed')
  t.match(wrong.body, 'value="alice"', 'the username is kept')
  t.equal(emulator.ctx.store.actions.size, 0, 'no action was tracked')
  // The interaction is still usable.
  const again = await postPassword(idp, start, 'alice', PASSWORDS.alice)
  t.equal(again.status, 303)
})

t.test('BLOCK from Authsignal refuses the sign-in with a generic message; the interaction stays usable', async t => {
  const { idp } = await stack(t, { emulator: { actionOutcomes: { signIn: 'BLOCK' } } })
  const start = await beginLogin(idp)
  const response = await postPassword(idp, start, 'alice', PASSWORDS.alice)
  t.equal(response.status, 403)
  t.match(response.body, 'We could not sign you in.')
  t.notMatch(response.body, /BLOCK/)
  t.notOk(await start.session.cookie(`${idp.origin}/oidc/auth`, 'idp_session'), 'no IdP session')
  const page = await start.session.get(start.loginUrl)
  t.equal(page.status, 200)
})

t.test('REVIEW from Authsignal is refused like BLOCK', async t => {
  const { idp } = await stack(t, { emulator: { actionOutcomes: { signIn: 'REVIEW' } } })
  const start = await beginLogin(idp)
  const response = await postPassword(idp, start, 'alice', PASSWORDS.alice)
  t.equal(response.status, 403)
  t.match(response.body, 'We could not sign you in.')
})

t.test('with mfaPolicy "optional", a user without an authenticator signs in with the password', async t => {
  const { idp } = await stack(t, { idp: { passkeyLogin: { mfaPolicy: 'optional' } } })
  const start = await beginLogin(idp)
  const response = await postPassword(idp, start, 'bob', PASSWORDS.bob)
  t.equal(response.status, 303)
  t.equal(new URL(response.location ?? '').origin, idp.origin, 'straight back to oidc-provider')
  const { claims } = await completeAtRp(start, response)
  t.equal(claims.sub, 'bob')
  t.same(claims.amr, ['pwd'])
})

t.test('Authsignal failing during the password step fails closed; the same interaction works afterwards', async t => {
  const { idp, emulator } = await stack(t)
  const start = await beginLogin(idp)
  emulator.ctx.faults.set([{ path: '/v1/users', status: 503 }])
  const failed = await postPassword(idp, start, 'alice', PASSWORDS.alice)
  t.equal(failed.status, 503)
  t.match(failed.body, 'Sign-in is temporarily unavailable.')
  t.match(failed.body, 'value="alice"')
  t.notMatch(failed.body, /Injected fault|AuthsignalError/)
  emulator.ctx.faults.clear()
  const ok = await postPassword(idp, start, 'alice', PASSWORDS.alice)
  t.equal(ok.status, 303)
  t.equal(new URL(ok.location ?? '').origin, emulator.origin)
})

t.test('a silent Authsignal is cut off by the deadline', async t => {
  const { idp, emulator } = await stack(t, { idp: { passkeyLogin: { authsignalTimeoutMs: 300 } } })
  const start = await beginLogin(idp)
  emulator.ctx.faults.set([{ path: '/v1/users', latencyMs: 2000, times: 1 }])
  const failed = await postPassword(idp, start, 'alice', PASSWORDS.alice)
  t.equal(failed.status, 503)
  t.match(failed.body, 'Sign-in is temporarily unavailable.')
})

t.test('Authsignal failing at the MFA return keeps the pending MFA; the token works once it recovers', async t => {
  const { idp, emulator } = await stack(t)
  const start = await beginLogin(idp)
  const posted = await postPassword(idp, start, 'bob', PASSWORDS.bob)
  const { token } = await completeTotpChallenge(emulator, posted.location ?? '')
  secrets.add(token)
  emulator.ctx.faults.set([{ path: '/v1/validate', status: 503 }])
  const failed = await getMfaReturn(idp, start, token)
  t.equal(failed.status, 503)
  t.match(failed.body, 'Sign-in is temporarily unavailable.')
  t.match(failed.body, `action="/interaction/${start.uid}/login"`, 'the login page of the same interaction')
  emulator.ctx.faults.clear()
  const back = await getMfaReturn(idp, start, token)
  t.equal(back.status, 303)
  const { claims } = await completeAtRp(start, back)
  t.equal(claims.sub, 'bob')
})

t.test('after too many bad MFA returns the password must be entered again', async t => {
  const { idp, emulator } = await stack(t, { idp: { passkeyLogin: { maxMfaFailures: 2 } } })
  const start = await beginLogin(idp)
  const posted = await postPassword(idp, start, 'alice', PASSWORDS.alice)
  const trackToken = trackTokenOf(posted.location ?? '')
  secrets.add(trackToken)
  // The track token itself has not passed a challenge: refused, twice.
  for (let i = 0; i < 2; i++) {
    const refused = await getMfaReturn(idp, start, trackToken)
    t.equal(refused.status, 400)
    t.match(refused.body, 'We could not complete your sign-in.')
  }
  const { token } = await completeTotpChallenge(emulator, posted.location ?? '')
  secrets.add(token)
  const late = await getMfaReturn(idp, start, token)
  t.equal(late.status, 400, 'even a good token is refused now')
  t.match(late.body, 'Please enter your username and password again.')
  // A fresh password step in the same interaction works.
  const again = await postPassword(idp, start, 'alice', PASSWORDS.alice)
  t.equal(again.status, 303)
})

t.test('a cancelled hosted-page challenge comes back as a refusal, not an error', async t => {
  const { idp } = await stack(t)
  const start = await beginLogin(idp)
  const posted = await postPassword(idp, start, 'alice', PASSWORDS.alice)
  // What the hosted page does on cancel: back to the redirect URL with the unchanged track token.
  const back = await getMfaReturn(idp, start, trackTokenOf(posted.location ?? ''))
  t.equal(back.status, 400)
  t.match(back.body, 'We could not complete your sign-in.')
  t.match(back.body, 'id="password-form"')
})

t.test('password attempts are limited per username, and requests per address', async t => {
  const { idp, emulator } = await stack(t, { idp: { passkeyLogin: { rateLimit: { max: 12, passwordMax: 3, timeWindowMs: 60_000 } } } })
  const start = await beginLogin(idp)
  for (let i = 0; i < 3; i++) t.equal((await postPassword(idp, start, 'alice', WRONG_PASSWORD)).status, 401)
  const limited = await postPassword(idp, start, 'Alice', PASSWORDS.alice)
  t.equal(limited.status, 429, 'the fourth attempt for alice is refused, even with the right password')
  t.match(limited.body, 'Too many sign-in attempts.')
  t.ok(Number(limited.headers.get('retry-after')) > 0, 'Retry-After says when')
  t.equal(limited.headers.get('cache-control'), 'no-store')
  t.equal(emulator.ctx.store.actions.size, 0, 'Authsignal was not asked')
  const other = await postPassword(idp, start, 'bob', PASSWORDS.bob)
  t.equal(other.status, 303, 'another username is not affected')
  // 1 page + 5 posts so far; the address limit (12) is reached a little later.
  const statuses: number[] = []
  for (let i = 0; i < 8; i++) statuses.push((await start.session.get(start.loginUrl)).status)
  t.same(statuses.slice(0, 6), [200, 200, 200, 200, 200, 200])
  t.same(statuses.slice(6), [429, 429], 'then the address is limited on every interaction route')
})

t.test('interaction pages are refused politely without the interaction cookie', async t => {
  const { idp } = await stack(t)
  const start = await beginLogin(idp)
  const response = await start.session.request(interactionUrl(idp, start.uid), { withoutCookies: true })
  t.equal(response.status, 400)
  t.match(response.body, 'This sign-in request has expired or was started in another browser.')
  t.equal(response.headers.get('cache-control'), 'no-store')
})

t.test('the IdP logs hold no token, secret, password or cookie value', async t => {
  t.ok(logLines.length > 50, `captured ${logLines.length} log lines`)
  t.ok(logLines.some(line => line.includes('"event":"login"')), 'successful sign-ins are logged')
  t.ok(logLines.some(line => line.includes('/mfa?token=[redacted]')), 'the MFA return is logged with its token masked')
  t.same(secretsInLogs(logLines, secrets), [])
})
