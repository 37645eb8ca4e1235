// Issue 12, finding 5: failed sign-ins were logged without the source address or any account reference.
// Now every refused sign-in writes exactly one `login-failed` line (warn) with the step, the reason, the
// source address and, where an account is known, `account`: HMAC-SHA256 under a key derived from the
// Authsignal API secret, truncated — of the normalised username, or of the account id — and never the
// username, a token, a password or a secret. passkey-enroll's refusals for a known account write one
// `enroll-refused` line, with the same reference for the same account.
import { randomBytes } from 'node:crypto'
import Fastify from 'fastify'
import passkeyEnroll from 'fastify-passkey-enroll'
import t, { type Test } from 'tap'
import { accountReference, referenceKey } from '../plugins/passkey-login/dist/routes/failures.js'
import type { AccountSeed } from '../servers/idp/accounts.js'
import { freePort, startEmulator, TEST_SECRET } from './fixtures/emulator.js'
import type { HttpResponse } from './fixtures/http-session.js'
import { startStack, type Stack } from './fixtures/idp.js'
import { suiteLogger } from './fixtures/log-capture.js'
import { beginLogin, completeTotpChallenge, enrollPasskey, getMfaReturn, passkeySignIn, postPasskeyToken, postPassword, type LoginStart } from './fixtures/oidc-flows.js'

const PASSWORDS = { alice: 'alice-FailureLog-4c1', bob: 'bob-FailureLog-9e7', carol: 'carol-FailureLog-2a8' }
const ACCOUNTS: AccountSeed[] = [
  { id: 'alice', username: 'alice', password: PASSWORDS.alice },
  { id: 'u-bob-7', username: 'bob', password: PASSWORDS.bob },
  { id: 'carol', username: 'carol', password: PASSWORDS.carol, active: false }
]
const KEY = referenceKey(TEST_SECRET)
const byUsername = (username: string): string => accountReference(KEY, 'username', username)
const byId = (id: string): string => accountReference(KEY, 'id', id)

interface Line { event?: string, method?: string, reason?: string, ip?: string, account?: string, accountFrom?: string, [key: string]: unknown }

/** What must never be in a failure line: usernames, passwords, tokens, the API secret. */
const forbidden = new Set<string>([...Object.values(PASSWORDS), TEST_SECRET])

async function stack (t: Test, lines: string[], passkeyLogin: Record<string, unknown> = {}, emulator: Record<string, unknown> = {}): Promise<Stack> {
  return await startStack(t, { emulator, idp: { accounts: ACCOUNTS, logLines: lines, passkeyLogin } })
}

/** The `login-failed` lines written since `from`. */
const failures = (lines: string[], from: number, event = 'login-failed'): Line[] =>
  lines.slice(from).map(line => JSON.parse(line) as Line).filter(line => line.event === event)

/** Exactly one failure line, with these fields, and nothing it must not hold. */
function assertOneLine (t: Test, lines: string[], from: number, expected: Partial<Line>, words: string[] = [], event = 'login-failed'): void {
  const found = failures(lines, from, event)
  t.equal(found.length, 1, `exactly one ${event} line (${expected.reason ?? ''})`)
  const line = found[0] ?? {}
  t.match(line, { level: 40, ...expected }, 'its fields')
  t.match(line.ip, /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/, 'the source address')
  if (expected.account === undefined) t.notOk('account' in line, 'no account reference when none is known')
  else t.match(line.account, /^[A-Za-z0-9_-]{16}$/, 'a 16-character reference')
  const text = lines.slice(from).filter(l => l.includes(`"event":"${event}"`)).join('\n')
  t.notMatch(text, /eyJ[\w-]{5,}\./, 'no token')
  for (const value of [...forbidden, ...words]) t.notOk(text.includes(value), `no ${value.length > 12 ? `${value.slice(0, 6)}…` : JSON.stringify(value)} in the line`)
}

t.test('password step: wrong password, unknown user, disabled account, normalised usernames', async t => {
  const lines: string[] = []
  const s = await stack(t, lines)
  const start = await beginLogin(s.idp)
  const cases: Array<[string, string, Partial<Line>]> = [
    ['alice', 'wrong-password-1', { method: 'password', reason: 'credentials', account: byUsername('alice'), accountFrom: 'username' }],
    ['  ALICE ', 'wrong-password-2', { method: 'password', reason: 'credentials', account: byUsername('alice'), accountFrom: 'username' }],
    ['mallory', 'wrong-password-3', { method: 'password', reason: 'credentials', account: byUsername('mallory'), accountFrom: 'username' }],
    ['carol', PASSWORDS.carol, { method: 'password', reason: 'disabled', account: byUsername('carol'), accountFrom: 'username' }]
  ]
  for (const [username, password, expected] of cases) {
    const from = lines.length
    const response = await postPassword(s.idp, start, username, password)
    t.equal(response.status, 401, `${JSON.stringify(username)}: 401`)
    assertOneLine(t, lines, from, expected, [username.trim(), username.trim().toLowerCase(), password])
  }
  t.equal(byUsername('  ALICE '), byUsername('alice'), 'one reference per account whatever the spelling')
  t.not(byUsername('alice'), byUsername('mallory'))
})

t.test('MFA return: a refused token, and a return without a password step', async t => {
  const lines: string[] = []
  const s = await stack(t, lines)
  const none = await beginLogin(s.idp)
  let from = lines.length
  t.equal((await getMfaReturn(s.idp, none, 'aaaaaaaa.bbbbbbbb.cccccccc')).status, 400)
  assertOneLine(t, lines, from, { method: 'mfa', reason: 'no-pending-mfa', account: undefined })

  // bob's password step, then a passkey sign-in token of alice's at the MFA return (validated for bob and the
  // password-MFA action, Authsignal calls it invalid): refused, for bob's account.
  const start = await beginLogin(s.idp)
  const posted = await postPassword(s.idp, start, 'bob', PASSWORDS.bob)
  t.equal(posted.status, 303)
  const passkey = await enrollPasskey(s.emulator, 'alice', s.idp.origin)
  const wrong = await passkeySignIn(s.emulator, passkey)
  from = lines.length
  t.equal((await getMfaReturn(s.idp, start, wrong)).status, 400)
  assertOneLine(t, lines, from, { method: 'mfa', reason: 'not-valid', account: byId('u-bob-7'), accountFrom: 'id' }, ['bob', wrong])
  // The right token still signs bob in afterwards (the line changed nothing).
  const { token } = await completeTotpChallenge(s.emulator, String(posted.location))
  from = lines.length
  t.equal((await getMfaReturn(s.idp, start, token)).status, 303)
  t.same(failures(lines, from), [], 'a sign-in writes no failure line')
})

t.test('passkey step: malformed, forged and replayed tokens', async t => {
  const lines: string[] = []
  const s = await stack(t, lines)
  const passkey = await enrollPasskey(s.emulator, 'alice', s.idp.origin)

  let start = await beginLogin(s.idp)
  let from = lines.length
  t.equal((await postPasskeyToken(s.idp, start, 'not-a-token')).status, 400)
  assertOneLine(t, lines, from, { method: 'passkey', reason: 'malformed', account: undefined })

  const token = await passkeySignIn(s.emulator, passkey)
  const [header, payload] = token.split('.')
  from = lines.length
  t.equal((await postPasskeyToken(s.idp, start, `${header}.${payload}.${randomBytes(32).toString('base64url')}`)).status, 400)
  assertOneLine(t, lines, from, { method: 'passkey', reason: 'not-valid', account: undefined }, [token])

  t.equal((await postPasskeyToken(s.idp, start, token)).status, 303, 'the genuine token signs in')
  start = await beginLogin(s.idp)
  from = lines.length
  t.equal((await postPasskeyToken(s.idp, start, token)).status, 400, 'and is refused the second time')
  assertOneLine(t, lines, from, { method: 'passkey', reason: 'replayed', account: byId('alice'), accountFrom: 'id' }, [token])
})

t.test('locked by the rate limits (per username, per address), and cross-origin posts', async t => {
  const lines: string[] = []
  const s = await stack(t, lines, { rateLimit: { max: 9, passwordMax: 2, timeWindowMs: 60_000 } })
  const start = await beginLogin(s.idp)
  for (let i = 0; i < 2; i++) t.equal((await postPassword(s.idp, start, 'alice', `wrong-${i}`)).status, 401)
  let from = lines.length
  const limited = await postPassword(s.idp, start, 'Alice', PASSWORDS.alice)
  t.equal(limited.status, 429)
  assertOneLine(t, lines, from, { method: 'password', reason: 'rate-limited', account: byUsername('alice'), accountFrom: 'username' }, [PASSWORDS.alice])

  from = lines.length
  const foreign = await start.session.request(`${s.idp.origin}/interaction/${start.uid}/login`, {
    method: 'POST', form: { username: 'bob', password: PASSWORDS.bob }, headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }
  })
  t.equal(foreign.status, 403)
  assertOneLine(t, lines, from, { method: 'password', reason: 'cross-origin', account: undefined }, ['bob'])
  from = lines.length
  const foreignPasskey = await start.session.request(`${s.idp.origin}/interaction/${start.uid}/passkey`, {
    method: 'POST', form: { token: 'aaaaaaaa.bbbbbbbb.cccccccc' }, headers: { origin: 'null', 'sec-fetch-site': undefined }
  })
  t.equal(foreignPasskey.status, 403)
  assertOneLine(t, lines, from, { method: 'passkey', reason: 'cross-origin', account: undefined })

  // The address limit (9 requests), on the passkey route: the first refusal it makes.
  let response: HttpResponse | undefined
  for (let i = 0; i < 10 && response?.status !== 429; i++) {
    from = lines.length
    response = await postPasskeyToken(s.idp, start, 'not-a-token')
  }
  t.equal(response?.status, 429)
  assertOneLine(t, lines, from, { method: 'passkey', reason: 'rate-limited', account: undefined })
})

t.test('password step: Authsignal refuses the sign-in, or does not answer', async t => {
  const lines: string[] = []
  const s = await stack(t, lines, {}, { actionOutcomes: { signIn: 'BLOCK' } })
  let start = await beginLogin(s.idp)
  let from = lines.length
  t.equal((await postPassword(s.idp, start, 'alice', PASSWORDS.alice)).status, 403)
  assertOneLine(t, lines, from, { method: 'password', reason: 'authsignal-refused', detail: 'BLOCK', account: byId('alice'), accountFrom: 'id' })

  s.emulator.ctx.faults.set([{ path: '/v1', status: 503 }])
  t.teardown(() => { s.emulator.ctx.faults.clear() })
  start = await beginLogin(s.idp)
  from = lines.length
  t.equal((await postPassword(s.idp, start, 'alice', PASSWORDS.alice)).status, 503)
  assertOneLine(t, lines, from, { method: 'password', reason: 'unavailable', account: byId('alice'), accountFrom: 'id' })
})

t.test('passkey-enroll: refusals for a known account write one enroll-refused line with the same reference', async t => {
  const lines: string[] = []
  const port = await freePort()
  const origin = `http://localhost:${port}`
  const emulator = await startEmulator(t, { expectedOrigins: [origin] })
  const app = Fastify({ logger: suiteLogger('enroll-failures', lines) })
  await app.register(passkeyEnroll, {
    authsignal: emulator.serverClient(),
    tenantId: emulator.tenantId,
    apiUrl: emulator.apiUrl,
    publicOrigin: origin,
    rateLimit: { tokenMax: 1, timeWindowMs: 60_000 },
    getUserId: request => request.headers['x-test-user'] as string | undefined,
    getAuthTime: request => Math.floor(Date.now() / 1000) - Number(request.headers['x-test-auth-age'] ?? 30)
  })
  await app.listen({ port, host: 'localhost' })
  t.teardown(() => app.close())
  const post = async (path: string, user: string, age: number, body = '{}'): Promise<number> => (await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin, 'sec-fetch-site': 'same-origin', 'x-test-user': user, 'x-test-auth-age': String(age) },
    body
  })).status

  let from = lines.length
  t.equal(await post('/passkeys/enrollment-token', 'alice', 3600), 401, 'a stale sign-in: reauthentication required')
  assertOneLine(t, lines, from, { reason: 'reauthentication-required', account: byId('alice'), accountFrom: 'id' }, [], 'enroll-refused')
  t.equal(await post('/passkeys/enrollment-token', 'alice', 30), 200)
  from = lines.length
  t.equal(await post('/passkeys/enrollment-token', 'alice', 30), 429, 'over the per-user limit')
  assertOneLine(t, lines, from, { reason: 'rate-limited', account: byId('alice') }, [], 'enroll-refused')
  await enrollPasskey(emulator, 'bob', origin)
  const [bobs] = await emulator.serverClient().getAuthenticators({ userId: 'bob' })
  from = lines.length
  const removal = await fetch(`${origin}/passkeys/${bobs.userAuthenticatorId}/remove`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, 'sec-fetch-site': 'same-origin', 'x-test-user': 'alice', 'x-test-auth-age': '30' }
  })
  t.match(removal.headers.get('location'), 'status=not_found', 'bob\'s passkey, asked for by alice: not found, nothing deleted')
  assertOneLine(t, lines, from, { reason: 'passkey-not-found', account: byId('alice') }, [bobs.userAuthenticatorId], 'enroll-refused')
  t.equal((await emulator.serverClient().getAuthenticators({ userId: 'bob' })).length, 1, 'bob keeps his passkey')
  from = lines.length
  t.equal(await post('/passkeys/enrollment-token', '', 30), 401, 'nobody signed in: no account, no line')
  t.same(failures(lines, from, 'enroll-refused'), [])
})
