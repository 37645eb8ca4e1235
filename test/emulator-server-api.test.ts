// The emulator's Server API driven by the real @authsignal/node client over real HTTP: track/validate
// round trips, users, authenticators, actions, the exact error shapes, bad input, CORS and faults.
import { Authsignal, AuthsignalError, UserActionState } from '@authsignal/node'
import { SignJWT } from 'jose'
import t from 'tap'
import { UNAUTHORIZED_DESCRIPTION } from '../servers/authsignal-emulator/dist/errors.js'
import { startEmulator, TEST_SECRET, TEST_TENANT, type RunningEmulator } from './fixtures/emulator.js'
import { SoftwareAuthenticator, registerPasskey, signInWithPasskey } from './fixtures/software-authenticator.js'

const ORIGIN = 'http://localhost:5001'
const basic = (secret: string): string => `Basic ${Buffer.from(`${secret}:`).toString('base64')}`

/** Raw HTTP to the Server API with the right secret (for what the SDK cannot send). */
async function raw (emulator: RunningEmulator, method: string, path: string, init: { body?: string, headers?: Record<string, string> } = {}): Promise<{ status: number, type: string | null, body: any, headers: Headers }> {
  const response = await fetch(`${emulator.apiUrl}${path}`, {
    method,
    headers: { authorization: basic(emulator.secret), ...init.headers },
    ...(init.body != null ? { body: init.body } : {})
  })
  const text = await response.text()
  let body: unknown = text
  try { body = JSON.parse(text) } catch {}
  return { status: response.status, type: response.headers.get('content-type'), body, headers: response.headers }
}

/** The AuthsignalError a call fails with (or null when it succeeds). */
async function failure (call: Promise<unknown>): Promise<AuthsignalError | null> {
  return await call.then(() => null, (error: unknown) => {
    if (error instanceof AuthsignalError) return error
    throw error
  })
}

/** A user with a passkey enrolled through the Client API (real WebAuthn bytes). */
async function enrolledUser (emulator: RunningEmulator, userId: string): Promise<SoftwareAuthenticator> {
  const authenticator = new SoftwareAuthenticator(ORIGIN)
  const { token } = await emulator.serverClient().track({ userId, action: 'add-passkey', attributes: { username: userId, scope: 'add:authenticators' } })
  const added = await registerPasskey(emulator, authenticator, token!)
  if (added.status !== 200) throw new Error(`enrollment failed: ${JSON.stringify(added.body)}`)
  return authenticator
}

t.test('track then validate: a user without an authenticator is allowed and not enrolled; the token is not a success', async t => {
  const emulator = await startEmulator(t)
  const client = emulator.serverClient()
  const tracked = await client.track({ userId: 'alice', action: 'signIn', attributes: { username: 'alice', redirectUrl: `${ORIGIN}/cb` } })
  t.equal(tracked.state, 'ALLOW')
  t.equal(tracked.isEnrolled, false)
  t.type(tracked.idempotencyKey, 'string')
  t.match(tracked.url, new RegExp(`^${emulator.origin}/challenge\\?token=`))
  t.same(tracked.enrolledVerificationMethods, [])
  t.match(tracked.token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/)

  const validated = await client.validateChallenge({ token: tracked.token! })
  t.equal(validated.isValid, false)
  t.equal(validated.state, 'ALLOW')
  t.equal(validated.userId, 'alice')
  t.equal(validated.action, 'signIn')
  t.equal(validated.idempotencyKey, tracked.idempotencyKey)

  // The raw body carries both names of the action (Node maps actionCode; .NET and Java read it).
  const body = (await raw(emulator, 'POST', '/validate', { body: JSON.stringify({ token: tracked.token }), headers: { 'content-type': 'application/json' } })).body
  t.equal(body.action, 'signIn')
  t.equal(body.actionCode, 'signIn')
})

t.test('an enrolled user is challenged; the track token validates to CHALLENGE_REQUIRED until the challenge is passed, then to CHALLENGE_SUCCEEDED, repeatably', async t => {
  const emulator = await startEmulator(t)
  const client = emulator.serverClient()
  const authenticator = await enrolledUser(emulator, 'bob')
  const tracked = await client.track({ userId: 'bob', action: 'signIn', attributes: { idempotencyKey: 'fixed-key-1' } })
  t.equal(tracked.state, 'CHALLENGE_REQUIRED')
  t.equal(tracked.isEnrolled, true)
  t.same(tracked.enrolledVerificationMethods, ['PASSKEY'])
  t.equal(tracked.idempotencyKey, 'fixed-key-1')

  const before = await client.validateChallenge({ token: tracked.token! })
  t.same([before.isValid, before.state, before.userId, before.idempotencyKey], [false, 'CHALLENGE_REQUIRED', 'bob', 'fixed-key-1'])

  // Passing the challenge with the passkey (Bearer track token): the action succeeds.
  const verified = await signInWithPasskey(emulator, authenticator, { token: tracked.token! })
  t.equal(verified.status, 200)
  for (let i = 0; i < 2; i++) {
    const after = await client.validateChallenge({ token: verified.body.accessToken })
    t.same([after.isValid, after.state, after.verificationMethod, after.userId, after.action], [true, 'CHALLENGE_SUCCEEDED', 'PASSKEY', 'bob', 'signIn'])
  }

  // Tracking again with the same idempotency key answers for the same action.
  const again = await client.track({ userId: 'bob', action: 'signIn', attributes: { idempotencyKey: 'fixed-key-1' } })
  t.equal(again.state, 'CHALLENGE_SUCCEEDED')
})

t.test('validate checks the optional userId and action, and rejects bad tokens without an exception', async t => {
  const emulator = await startEmulator(t)
  const client = emulator.serverClient()
  const { token } = await client.track({ userId: 'alice', action: 'signIn' })

  const otherUser = await client.validateChallenge({ token: token!, userId: 'bob' })
  t.equal(otherUser.isValid, false)
  t.match(otherUser.error, /user/)
  const otherAction = await client.validateChallenge({ token: token!, action: 'add-passkey' })
  t.equal(otherAction.isValid, false)
  t.match(otherAction.error, /action/)

  const garbled = await client.validateChallenge({ token: 'not-a-token' })
  t.same(garbled, { action: undefined, isValid: false, error: 'invalid_token' })

  const forged = await new SignJWT({ scope: 'read:authenticators', other: { tenantId: TEST_TENANT, userId: 'alice', actionCode: 'signIn', idempotencyKey: 'x' } })
    .setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setAudience(TEST_TENANT).setIssuedAt().setExpirationTime('5m')
    .sign(new TextEncoder().encode('some-other-secret'))
  t.equal((await client.validateChallenge({ token: forged })).error, 'invalid_token')

  const expired = await new SignJWT({ scope: 'read:authenticators', other: { tenantId: TEST_TENANT, userId: 'alice', actionCode: 'signIn', idempotencyKey: 'x' } })
    .setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setAudience(TEST_TENANT).setIssuedAt(Math.floor(Date.now() / 1000) - 700).setExpirationTime(Math.floor(Date.now() / 1000) - 100)
    .sign(new TextEncoder().encode(TEST_SECRET))
  t.equal((await client.validateChallenge({ token: expired })).error, 'expired_token')
})

t.test('tokens are HS256 JWTs with the reference claims and a 10-minute life', async t => {
  const emulator = await startEmulator(t)
  const { token, idempotencyKey } = await emulator.serverClient().track({ userId: 'alice', action: 'signIn', attributes: { username: 'alice', scope: 'add:authenticators' } })
  const [header, payload] = token!.split('.').slice(0, 2).map(part => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')))
  t.equal(header.alg, 'HS256')
  t.equal(payload.sub, 'alice')
  t.equal(payload.aud, TEST_TENANT)
  t.equal(payload.exp - payload.iat, 600)
  t.equal(payload.scope, 'add:authenticators')
  t.same(payload.other, { tenantId: TEST_TENANT, publishableKey: TEST_TENANT, userId: 'alice', actionCode: 'signIn', idempotencyKey, username: 'alice' })
})

t.test('an expired token is expired_token at /validate and at the Client API', async t => {
  const emulator = await startEmulator(t, { tokenTtlSeconds: 1 })
  const { token } = await emulator.serverClient().track({ userId: 'alice', action: 'signIn' })
  await new Promise(resolve => setTimeout(resolve, 2100))
  t.equal((await emulator.serverClient().validateChallenge({ token: token! })).error, 'expired_token')
  const client = await fetch(`${emulator.apiUrl}/client/user-authenticators/totp`, { method: 'POST', headers: { authorization: `Bearer ${token!}` } })
  t.equal(client.status, 401)
  t.same(await client.json(), { error: 'expired_token', errorCode: 'expired_token', errorDescription: 'The token has expired. Tokens are valid for 10 minutes after an action is tracked or a challenge is completed.' })
})

t.test('strict validate mode answers 400 for bad tokens; single-use mode refuses the second validation', async t => {
  const strict = await startEmulator(t, { validateMode: 'strict' })
  const refused = await raw(strict, 'POST', '/validate', { body: JSON.stringify({ token: 'x.y.z' }), headers: { 'content-type': 'application/json' } })
  t.equal(refused.status, 400)
  t.equal(refused.body.errorCode, 'invalid_token')

  const single = await startEmulator(t, { singleUseValidate: true })
  const authenticator = await enrolledUser(single, 'alice')
  const signedIn = await signInWithPasskey(single, authenticator, { action: 'signInWithPasskey' })
  const first = await single.serverClient().validateChallenge({ token: signedIn.body.accessToken })
  const second = await single.serverClient().validateChallenge({ token: signedIn.body.accessToken })
  t.equal(first.isValid, true)
  t.equal(second.isValid, false)
  t.match(second.error, /already/)
})

t.test('track outcome is configurable per action code', async t => {
  const emulator = await startEmulator(t, { actionOutcomes: { risky: 'BLOCK', review: 'REVIEW', always: 'CHALLENGE', free: 'ALLOW' } })
  const client = emulator.serverClient()
  await enrolledUser(emulator, 'alice')
  t.equal((await client.track({ userId: 'alice', action: 'risky' })).state, 'BLOCK')
  t.equal((await client.track({ userId: 'alice', action: 'review' })).state, 'REVIEW_REQUIRED')
  t.equal((await client.track({ userId: 'alice', action: 'always' })).state, 'CHALLENGE_REQUIRED')
  t.equal((await client.track({ userId: 'alice', action: 'free' })).state, 'ALLOW')
  // Nobody can be challenged without an authenticator (docs /learn/faqs).
  t.equal((await client.track({ userId: 'nobody', action: 'always' })).state, 'ALLOW')
})

t.test('users: get, query by username, update, delete', async t => {
  const emulator = await startEmulator(t)
  const client = emulator.serverClient()
  const unknown = await client.getUser({ userId: 'ghost' })
  t.equal(unknown.isEnrolled, false)

  await client.track({ userId: 'alice', action: 'signIn', attributes: { username: 'alice', email: 'alice@example.com' } })
  await client.track({ userId: 'bob', action: 'signIn', attributes: { username: 'bob' } })
  await enrolledUser(emulator, 'alice')
  const alice = await client.getUser({ userId: 'alice' })
  t.same([alice.isEnrolled, alice.email, alice.username, alice.enrolledVerificationMethods], [true, 'alice@example.com', 'alice', ['PASSKEY']])
  t.equal((alice as { defaultVerificationMethod?: string }).defaultVerificationMethod, 'PASSKEY')

  const found = await client.queryUsers({ username: 'bob' })
  t.same(found.users.map(u => u.userId), ['bob'])
  t.same((await client.queryUsers({ username: 'nobody' })).users, [])
  const paged = await client.queryUsers({ limit: 1 })
  t.equal(paged.users.length, 1)
  t.equal(paged.lastEvaluatedUserId, 'alice')
  const next = await client.queryUsers({ limit: 1, lastEvaluatedUserId: paged.lastEvaluatedUserId })
  t.same(next.users.map(u => u.userId), ['bob'])

  const updated = await client.updateUser({ userId: 'bob', attributes: { displayName: 'Bob B.', email: 'bob@example.com' } })
  t.equal(updated.displayName, 'Bob B.')
  t.equal((await client.getUser({ userId: 'bob' })).email, 'bob@example.com')

  await client.deleteUser({ userId: 'alice' })
  t.equal((await client.getUser({ userId: 'alice' })).isEnrolled, false)
  t.same(await client.getAuthenticators({ userId: 'alice' }), [])
  t.notOk(emulator.ctx.store.users.has('alice'))
})

t.test('authenticators: listed with their passkey details, deleted only for their owner', async t => {
  const emulator = await startEmulator(t)
  const client = emulator.serverClient()
  t.same(await client.getAuthenticators({ userId: 'alice' }), [])
  await enrolledUser(emulator, 'alice')
  const [passkey] = await client.getAuthenticators({ userId: 'alice' })
  t.equal(passkey.verificationMethod, 'PASSKEY')
  t.equal(passkey.userId, 'alice')
  t.type(passkey.createdAt, 'string')
  t.type(passkey.webauthnCredential?.credentialId, 'string')
  t.equal(passkey.webauthnCredential?.credentialDeviceType, 'singleDevice')
  t.equal(passkey.webauthnCredential?.credentialBackedUp, false)
  t.equal(passkey.webauthnCredential?.authenticatorAttachment, 'platform')

  // Another user cannot delete it (404, nothing changes).
  t.match(await failure(client.deleteAuthenticator({ userId: 'bob', userAuthenticatorId: passkey.userAuthenticatorId })), { statusCode: 404, errorCode: 'not_found' })
  t.equal((await client.getAuthenticators({ userId: 'alice' })).length, 1)
  await client.deleteAuthenticator({ userId: 'alice', userAuthenticatorId: passkey.userAuthenticatorId })
  t.same(await client.getAuthenticators({ userId: 'alice' }), [])
})

t.test('actions: get, update state, query by code and state', async t => {
  const emulator = await startEmulator(t)
  const client = emulator.serverClient()
  const tracked = await client.track({ userId: 'alice', action: 'signIn' })
  const action = await client.getAction({ userId: 'alice', action: 'signIn', idempotencyKey: tracked.idempotencyKey! })
  t.equal(action?.state, 'ALLOW')
  t.type(action?.createdAt, 'string')
  t.match(await failure(client.getAction({ userId: 'alice', action: 'signIn', idempotencyKey: 'nope' })), { statusCode: 404 })

  const updated = await client.updateAction({ userId: 'alice', action: 'signIn', idempotencyKey: tracked.idempotencyKey!, attributes: { state: UserActionState.REVIEW_FAILED } })
  t.equal(updated.state, 'REVIEW_FAILED')
  await client.track({ userId: 'alice', action: 'other' })
  const listed = await client.queryUserActions({ userId: 'alice', actionCodes: ['signIn'] })
  t.same(listed.map((a: { actionCode: string, state: string }) => [a.actionCode, a.state]), [['signIn', 'REVIEW_FAILED']])
})

t.test('a bad secret is an AuthsignalError `unauthorized` with the exact body Authsignal sends', async t => {
  const emulator = await startEmulator(t)
  const bad = new Authsignal({ apiSecretKey: 'not-the-secret', apiUrl: emulator.apiUrl, retries: 0 })
  const error = await bad.getUser({ userId: 'alice' }).catch((e: unknown) => e)
  t.ok(error instanceof AuthsignalError)
  t.equal((error as AuthsignalError).statusCode, 401)
  t.equal((error as AuthsignalError).errorCode, 'unauthorized')
  t.equal((error as AuthsignalError).errorDescription, UNAUTHORIZED_DESCRIPTION)

  const response = await raw(emulator, 'GET', '/users/alice', { headers: { authorization: basic('wrong') } })
  t.equal(response.status, 401)
  t.equal(response.type, 'application/json')
  t.same(response.body, { error: 'unauthorized', errorCode: 'unauthorized', errorDescription: UNAUTHORIZED_DESCRIPTION })
  for (const header of [undefined, 'Bearer abc', 'Basic !!!', `Basic ${Buffer.from(':').toString('base64')}`]) {
    const r = await fetch(`${emulator.apiUrl}/users/alice`, { headers: header != null ? { authorization: header } : {} })
    t.equal(r.status, 401, `authorization ${String(header)}`)
  }
})

t.test('bad input gets a 4xx with an error body and changes nothing', async t => {
  const emulator = await startEmulator(t)
  const json = { 'content-type': 'application/json' }
  const before = JSON.stringify([...emulator.ctx.store.actions.values()])
  const cases: Array<[string, string, string | undefined, Record<string, string>, number, string]> = [
    ['POST', '/users/alice/actions/signIn', '{"redirectUrl": 42}', json, 400, 'invalid_request'],
    ['POST', '/users/alice/actions/signIn', '{"notAnAttribute": true, "redirectToSettings": "yes"}', json, 400, 'invalid_request'],
    ['POST', '/users/alice/actions/signIn', '{"custom": "not an object"}', json, 400, 'invalid_request'],
    ['POST', '/users/alice', '{"emailVerified": "yes"}', json, 400, 'invalid_request'],
    ['POST', '/users/alice/authenticators', '{"verificationMethod": "SMS", "phoneNumber": "12"}', json, 400, 'invalid_request'],
    ['POST', '/validate', '{"token": "a.b.c", "userId": 5}', json, 400, 'invalid_request'],
    ['POST', '/users/alice/actions/sign%20in', '{}', json, 400, 'invalid_request'],
    ['POST', '/users/alice/actions/signIn', '{"scope": "root"}', json, 400, 'invalid_request'],
    ['POST', '/users/alice/actions/signIn', '{bad json', json, 400, 'invalid_request'],
    ['POST', '/users/alice/actions/signIn', '{"__proto__": {"x": 1}}', json, 400, 'invalid_request'],
    ['POST', '/users/alice/actions/signIn', 'username=alice', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type'],
    ['POST', '/users/alice/actions/signIn', JSON.stringify({ custom: { x: 'y'.repeat(70 * 1024) } }), json, 413, 'payload_too_large'],
    ['POST', '/validate', '{}', json, 400, 'invalid_request'],
    ['POST', '/validate', '{"token": ["a", "b"]}', json, 400, 'invalid_request'],
    ['POST', '/validate', JSON.stringify({ token: 'a'.repeat(9000) }), json, 400, 'invalid_request'],
    ['PATCH', '/users/alice', '{"email": {"a": 1}}', json, 400, 'invalid_request'],
    ['GET', '/users?limit=0', undefined, {}, 400, 'invalid_request'],
    ['GET', '/users?unknown=1', undefined, {}, 400, 'invalid_request'],
    ['GET', '/no/such/route', undefined, {}, 404, 'not_found']
  ]
  for (const [method, path, body, headers, status, code] of cases) {
    const response = await raw(emulator, method, path, { body, headers })
    t.equal(response.status, status, `${method} ${path} → ${status}`)
    t.equal(response.type, 'application/json', `${method} ${path} content type`)
    t.equal(response.body.error, code, `${method} ${path} error`)
    t.equal(response.body.errorCode, code, `${method} ${path} errorCode`)
    t.type(response.body.errorDescription, 'string', `${method} ${path} errorDescription`)
  }
  t.equal(JSON.stringify([...emulator.ctx.store.actions.values()]), before, 'no action was recorded')
  t.equal(emulator.ctx.store.users.size, 0, 'no user was created')
})

t.test('CORS: the Client API answers preflight for expected origins only; the Server API never sends CORS headers', async t => {
  const emulator = await startEmulator(t)
  const preflight = async (origin: string, path = '/client/challenge'): Promise<Response> => await fetch(`${emulator.apiUrl}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' }
  })
  const allowed = await preflight(ORIGIN)
  t.equal(allowed.status, 204)
  t.equal(allowed.headers.get('access-control-allow-origin'), ORIGIN)
  t.match(allowed.headers.get('access-control-allow-headers'), /Authorization/)
  t.match(allowed.headers.get('access-control-allow-methods'), /POST/)
  t.equal(allowed.headers.get('vary'), 'Origin')

  const foreign = await preflight('http://localhost:6666')
  t.equal(foreign.status, 403)
  t.equal(foreign.headers.get('access-control-allow-origin'), null)
  const foreignPost = await fetch(`${emulator.apiUrl}/client/challenge`, {
    method: 'POST',
    headers: { origin: 'http://evil.example', 'content-type': 'application/json', authorization: `Basic ${Buffer.from(TEST_TENANT).toString('base64')}` },
    body: '{"action":"signIn"}'
  })
  t.equal(foreignPost.status, 403)
  t.equal((await foreignPost.json()).errorCode, 'origin_not_allowed')
  t.equal(emulator.ctx.store.challenges.size, 0, 'the refused call reserved nothing')

  const server = await fetch(`${emulator.apiUrl}/users/alice`, { headers: { origin: ORIGIN, authorization: basic(TEST_SECRET) } })
  t.equal(server.status, 200)
  t.equal(server.headers.get('access-control-allow-origin'), null)
  const serverPreflight = await preflight(ORIGIN, '/validate')
  t.equal(serverPreflight.headers.get('access-control-allow-origin'), null)
})

t.test('faults: latency, 5xx and dropped connections are observable through the SDK, and off by default', async t => {
  const emulator = await startEmulator(t)
  // The servers' one client: the SDK's retry interceptor sits on the global axios (one retry, installed once).
  const client = emulator.serverClient()
  t.equal((await client.getUser({ userId: 'alice' })).isEnrolled, false, 'no fault by default')

  // A GET that keeps failing with 5xx: one retry, then the error; never more calls than that.
  emulator.ctx.faults.set([{ path: '/v1/users', status: 503 }])
  t.match(await failure(client.getUser({ userId: 'alice' })), { statusCode: 503, errorCode: 'unexpected_error' })
  t.equal(emulator.ctx.faults.hits, 2, 'the original call and one retry')
  // A POST answered 5xx is not retried (it may have had an effect).
  emulator.ctx.faults.set([{ path: '/v1/users', status: 503 }])
  t.match(await failure(client.track({ userId: 'alice', action: 'signIn' })), { statusCode: 503 })
  t.equal(emulator.ctx.faults.hits, 1, 'no retry of a POST')
  // A fault used up: the retry succeeds.
  emulator.ctx.faults.set([{ path: '/v1/users', status: 503, times: 1 }])
  t.equal((await client.getUser({ userId: 'alice' })).isEnrolled, false)

  // A dropped connection has no response; the SDK retries connection errors once, even for a POST.
  emulator.ctx.faults.set([{ path: '/v1/validate', drop: true }])
  t.match(await failure(client.validateChallenge({ token: 'a.b.c' })), { statusCode: 500, errorCode: 'unexpected_error' })
  t.equal(emulator.ctx.faults.hits, 2)

  emulator.ctx.faults.set([{ path: '/v1/users', latencyMs: 300 }])
  const started = process.hrtime.bigint()
  await client.getUser({ userId: 'alice' })
  t.ok(process.hrtime.bigint() - started >= 290_000_000n, 'the answer waited for the injected latency')

  // The admin route sets faults over HTTP, with the secret only.
  const refused = await fetch(`${emulator.origin}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"rules":[]}' })
  t.equal(refused.status, 401)
  const set = await fetch(`${emulator.origin}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic(TEST_SECRET) }, body: '{"rules":[{"path":"/v1/users","method":"PATCH","status":500}]}' })
  t.equal(set.status, 200)
  t.match(await failure(client.updateUser({ userId: 'alice', attributes: { displayName: 'A' } })), { statusCode: 500 })
  emulator.ctx.faults.clear()
  t.equal((await client.updateUser({ userId: 'alice', attributes: { displayName: 'A' } })).displayName, 'A')
})
