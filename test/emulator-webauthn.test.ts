// Passkey and authenticator-app ceremonies against the emulator's Client API over HTTP, with the
// software authenticator making real attestation and assertion bytes: each success is checked through
// the real @authsignal/node `validateChallenge`, each forgery must be refused and leave no trace.
import t from 'tap'
import { matchTotp, totp } from '../servers/authsignal-emulator/dist/totp.js'
import { startEmulator, TEST_TENANT, type RunningEmulator } from './fixtures/emulator.js'
import {
  clientCall,
  registerPasskey,
  signInWithPasskey,
  SoftwareAuthenticator,
  type CeremonyOverrides
} from './fixtures/software-authenticator.js'

const ORIGIN = 'http://localhost:5001'

async function track (emulator: RunningEmulator, userId: string, action: string, attributes: Record<string, string> = {}): Promise<string> {
  const { token } = await emulator.serverClient().track({ userId, action, attributes: { username: userId, ...attributes } })
  return token!
}

async function enroll (emulator: RunningEmulator, userId: string, authenticator = new SoftwareAuthenticator(ORIGIN)): Promise<SoftwareAuthenticator> {
  const added = await registerPasskey(emulator, authenticator, await track(emulator, userId, 'add-passkey', { scope: 'add:authenticators' }))
  if (added.status !== 200) throw new Error(`enrollment failed: ${JSON.stringify(added.body)}`)
  return authenticator
}

t.test('registration: the passkey is stored, the add-passkey action succeeds, and the access token validates', async t => {
  const emulator = await startEmulator(t)
  const authenticator = new SoftwareAuthenticator(ORIGIN)
  const token = await track(emulator, 'alice', 'add-passkey', { scope: 'add:authenticators' })
  const options = await clientCall(emulator, '/user-authenticators/passkey/registration-options', { username: 'alice' }, token)
  t.equal(options.status, 200)
  const creation = options.body.options
  t.equal(creation.rp.id, 'localhost')
  t.equal(Buffer.from(creation.user.id, 'base64url').toString('utf8'), 'alice', 'the user handle is the userId')
  t.equal(creation.authenticatorSelection.residentKey, 'required')
  t.equal(creation.authenticatorSelection.userVerification, 'required')
  t.same(creation.pubKeyCredParams.map((p: { alg: number }) => p.alg), [-8, -7, -257])
  t.same(creation.excludeCredentials, [])

  const added = await clientCall(emulator, '/user-authenticators/passkey', {
    registrationCredential: authenticator.create(creation), challengeId: options.body.challengeId, conditionalCreate: false
  }, token)
  t.equal(added.status, 200)
  t.equal(added.body.isVerified, true)
  t.equal(added.body.userId, 'alice')
  t.equal(added.body.userAuthenticator.verificationMethod, 'PASSKEY')
  const validated = await emulator.serverClient().validateChallenge({ token: added.body.accessToken })
  t.same([validated.isValid, validated.state, validated.action, validated.verificationMethod], [true, 'CHALLENGE_SUCCEEDED', 'add-passkey', 'PASSKEY'])

  const [stored] = await emulator.serverClient().getAuthenticators({ userId: 'alice' })
  t.equal(stored.webauthnCredential?.credentialId, [...authenticator.credentials.keys()][0])

  // The second registration lists the first credential to exclude.
  const again = await clientCall(emulator, '/user-authenticators/passkey/registration-options', {}, await track(emulator, 'alice', 'add-passkey', { scope: 'add:authenticators' }))
  t.same(again.body.options.excludeCredentials.map((c: { id: string }) => c.id), [stored.webauthnCredential?.credentialId])
})

t.test('sign-in with an action: /client/challenge names the action the sign-in is recorded under', async t => {
  const emulator = await startEmulator(t)
  const authenticator = await enroll(emulator, 'alice')
  const signedIn = await signInWithPasskey(emulator, authenticator, { action: 'signInWithPasskey' })
  t.equal(signedIn.status, 200)
  t.equal(signedIn.body.isVerified, true)
  t.equal(signedIn.body.userId, 'alice')
  t.equal(signedIn.body.username, 'alice')
  const validated = await emulator.serverClient().validateChallenge({ token: signedIn.body.accessToken, action: 'signInWithPasskey' })
  t.same([validated.isValid, validated.state, validated.userId, validated.action, validated.verificationMethod], [true, 'CHALLENGE_SUCCEEDED', 'alice', 'signInWithPasskey', 'PASSKEY'])
  const [stored] = await emulator.serverClient().getAuthenticators({ userId: 'alice' })
  t.type(stored.lastVerifiedAt, 'string', 'the passkey records when it was last used')
})

t.test('sign-in without an action is recorded under the default code passkey-sign-in (configurable)', async t => {
  const emulator = await startEmulator(t)
  const authenticator = await enroll(emulator, 'alice')
  const signedIn = await signInWithPasskey(emulator, authenticator)
  t.equal((await emulator.serverClient().validateChallenge({ token: signedIn.body.accessToken })).action, 'passkey-sign-in')

  const custom = await startEmulator(t, { defaultPasskeyAction: 'login' })
  const other = await enroll(custom, 'bob')
  t.equal((await custom.serverClient().validateChallenge({ token: (await signInWithPasskey(custom, other)).body.accessToken })).action, 'login')
})

t.test('forged ceremonies are refused and leave no trace', async t => {
  const emulator = await startEmulator(t)
  const alice = await enroll(emulator, 'alice')
  const actionsBefore = emulator.ctx.store.actions.size

  const assertions: Array<[string, CeremonyOverrides]> = [
    ['wrong origin', { origin: 'http://localhost:6666' }],
    ['look-alike origin', { origin: 'http://localhost.evil.example:5001' }],
    ['wrong RP ID', { rpId: 'example.com' }],
    ['bad signature', { badSignature: true }],
    ['user not verified', { userVerified: false }],
    ['user not present', { userPresent: false }],
    ['another challenge', { challenge: Buffer.from('not the challenge').toString('base64url') }],
    ['a registration response', { type: 'webauthn.create' }]
  ]
  for (const [name, overrides] of assertions) {
    const result = await signInWithPasskey(emulator, alice, { action: 'signInWithPasskey' }, overrides)
    t.equal(result.status, 400, `${name}: 400`)
    t.equal(result.body.errorCode, 'invalid_credential', `${name}: invalid_credential`)
    t.notOk('accessToken' in result.body, `${name}: no token`)
  }

  // An unknown credential (never registered here).
  const stranger = new SoftwareAuthenticator(ORIGIN)
  stranger.create({ challenge: 'AAAA', rp: { id: 'localhost', name: 'x' }, user: { id: Buffer.from('mallory').toString('base64url'), name: 'm', displayName: 'm' } })
  const unknown = await signInWithPasskey(emulator, stranger, { action: 'signInWithPasskey' })
  t.equal(unknown.status, 400)
  t.equal(unknown.body.errorCode, 'invalid_credential')

  t.equal(emulator.ctx.store.actions.size, actionsBefore, 'no sign-in action was recorded')
  t.equal(emulator.ctx.store.challenges.size, 0, 'every challenge was used up')
})

t.test('a challenge is single-use: replaying a verified assertion is refused', async t => {
  const emulator = await startEmulator(t)
  const alice = await enroll(emulator, 'alice')
  const options = await clientCall(emulator, '/user-authenticators/passkey/authentication-options', {})
  const assertion = alice.get(options.body.options)
  const first = await clientCall(emulator, '/verify/passkey', { authenticationCredential: assertion, challengeId: options.body.challengeId })
  t.equal(first.status, 200)
  const replay = await clientCall(emulator, '/verify/passkey', { authenticationCredential: assertion, challengeId: options.body.challengeId })
  t.equal(replay.status, 400)
  t.match(replay.body.errorDescription, /unknown, expired or already used/)
})

t.test('an expired challenge is refused', async t => {
  const emulator = await startEmulator(t, { challengeTtlSeconds: 1 })
  const alice = await enroll(emulator, 'alice')
  const options = await clientCall(emulator, '/user-authenticators/passkey/authentication-options', {})
  await new Promise(resolve => setTimeout(resolve, 1100))
  const late = await clientCall(emulator, '/verify/passkey', { authenticationCredential: alice.get(options.body.options), challengeId: options.body.challengeId })
  t.equal(late.status, 400)
  t.equal(late.body.errorCode, 'invalid_credential')
})

t.test('a signature counter that goes backwards (a cloned authenticator) is refused', async t => {
  const emulator = await startEmulator(t)
  const alice = await enroll(emulator, 'alice')
  t.equal((await signInWithPasskey(emulator, alice, {}, { counter: 5 })).status, 200)
  const cloned = await signInWithPasskey(emulator, alice, {}, { counter: 3 })
  t.equal(cloned.status, 400)
  t.match(cloned.body.errorDescription, /counter/i)
})

t.test('registration forgeries: wrong origin, wrong RP ID, no user verification, reused challenge, duplicate credential', async t => {
  const emulator = await startEmulator(t)
  const cases: Array<[string, CeremonyOverrides]> = [
    ['wrong origin', { origin: 'http://localhost:6666' }],
    ['wrong RP ID', { rpId: 'example.com' }],
    ['user not verified', { userVerified: false }],
    ['another challenge', { challenge: Buffer.from('nope').toString('base64url') }]
  ]
  for (const [name, overrides] of cases) {
    const result = await registerPasskey(emulator, new SoftwareAuthenticator(ORIGIN), await track(emulator, 'alice', 'add-passkey'), overrides)
    t.equal(result.status, 400, `${name}: 400`)
    t.equal(result.body.errorCode, 'invalid_credential', `${name}: invalid_credential`)
  }
  t.same(await emulator.serverClient().getAuthenticators({ userId: 'alice' }), [], 'nothing was enrolled')

  // Reusing a registration challenge: the second add is refused.
  const token = await track(emulator, 'bob', 'add-passkey')
  const options = await clientCall(emulator, '/user-authenticators/passkey/registration-options', {}, token)
  const authenticator = new SoftwareAuthenticator(ORIGIN)
  const first = await clientCall(emulator, '/user-authenticators/passkey', { registrationCredential: authenticator.create(options.body.options), challengeId: options.body.challengeId }, token)
  t.equal(first.status, 200)
  const second = await clientCall(emulator, '/user-authenticators/passkey', { registrationCredential: authenticator.create(options.body.options), challengeId: options.body.challengeId }, first.body.accessToken)
  t.equal(second.status, 400)

  // The same credential offered again, for another user: refused.
  const carolToken = await track(emulator, 'carol', 'add-passkey')
  const carolOptions = await clientCall(emulator, '/user-authenticators/passkey/registration-options', {}, carolToken)
  const [bobId] = [...authenticator.credentials.keys()]
  const duplicate = authenticator.create(carolOptions.body.options, { credentialId: bobId })
  const reused = await clientCall(emulator, '/user-authenticators/passkey', { registrationCredential: duplicate, challengeId: carolOptions.body.challengeId }, carolToken)
  t.equal(reused.status, 400)
  t.match(reused.body.errorDescription, /already registered/)
  t.same(await emulator.serverClient().getAuthenticators({ userId: 'carol' }), [])
})

t.test('add:authenticators is required once the user has an authenticator', async t => {
  const emulator = await startEmulator(t)
  // The first passkey may be enrolled with a plain track token.
  await enroll(emulator, 'alice', new SoftwareAuthenticator(ORIGIN))
  const plain = await track(emulator, 'alice', 'signIn')
  const refused = await clientCall(emulator, '/user-authenticators/passkey/registration-options', {}, plain)
  t.equal(refused.status, 403)
  t.equal(refused.body.errorCode, 'insufficient_scope')
  const totpRefused = await clientCall(emulator, '/user-authenticators/totp', {}, plain)
  t.equal(totpRefused.status, 403)
  const scoped = await clientCall(emulator, '/user-authenticators/passkey/registration-options', {}, await track(emulator, 'alice', 'add-passkey', { scope: 'add:authenticators' }))
  t.equal(scoped.status, 200)
})

t.test('a challenge issued for one token cannot be answered with another, nor without a token', async t => {
  const emulator = await startEmulator(t)
  const alice = await enroll(emulator, 'alice')
  const bob = await enroll(emulator, 'bob')
  const aliceMfa = await track(emulator, 'alice', 'signIn')
  const bobMfa = await track(emulator, 'bob', 'signIn')

  // Bob's token asks; Alice's token answers.
  const options = await clientCall(emulator, '/user-authenticators/passkey/authentication-options', {}, bobMfa)
  t.same(options.body.options.allowCredentials.map((c: { id: string }) => c.id), [...bob.credentials.keys()], 'a token restricts the passkeys offered')
  const swapped = await clientCall(emulator, '/verify/passkey', { authenticationCredential: bob.get(options.body.options), challengeId: options.body.challengeId }, aliceMfa)
  t.equal(swapped.status, 400)

  // Bob's token asks; Alice's passkey answers.
  const options2 = await clientCall(emulator, '/user-authenticators/passkey/authentication-options', {}, bobMfa)
  const wrongPasskey = await clientCall(emulator, '/verify/passkey', { authenticationCredential: alice.get({ ...options2.body.options, allowCredentials: [] }), challengeId: options2.body.challengeId }, bobMfa)
  t.equal(wrongPasskey.status, 400)

  // A token-bound challenge answered without the token.
  const options3 = await clientCall(emulator, '/user-authenticators/passkey/authentication-options', {}, bobMfa)
  const tokenless = await clientCall(emulator, '/verify/passkey', { authenticationCredential: bob.get(options3.body.options), challengeId: options3.body.challengeId })
  t.equal(tokenless.status, 400)

  const state = await emulator.serverClient().validateChallenge({ token: bobMfa })
  t.equal(state.state, 'CHALLENGE_REQUIRED', 'none of it completed Bob\'s challenge')
  // The right way: Bob's token, Bob's passkey.
  const mfa = await signInWithPasskey(emulator, bob, { token: bobMfa })
  t.equal(mfa.status, 200)
  t.equal((await emulator.serverClient().validateChallenge({ token: bobMfa })).state, 'CHALLENGE_SUCCEEDED')
})

t.test('tenant authentication on the Client API: the browser form, the iOS form with a colon, and wrong tenants', async t => {
  const emulator = await startEmulator(t)
  const call = async (authorization: string): Promise<number> => (await fetch(`${emulator.apiUrl}/client/challenge`, {
    method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: '{"action":"signInWithPasskey"}'
  })).status
  t.equal(await call(`Basic ${Buffer.from(encodeURIComponent(TEST_TENANT)).toString('base64')}`), 200)
  t.equal(await call(`Basic ${Buffer.from(`${TEST_TENANT}:`).toString('base64')}`), 200)
  t.equal(await call(`Basic ${Buffer.from('other-tenant').toString('base64')}`), 401)
  t.equal(await call('Bearer not.a.token'), 401)
  t.equal(await call(''), 401)
})

t.test('the credential-id lookup answers for registered passkeys only', async t => {
  const emulator = await startEmulator(t)
  const alice = await enroll(emulator, 'alice')
  const [id] = [...alice.credentials.keys()]
  const lookup = async (ids: string): Promise<Response> => await fetch(`${emulator.apiUrl}/client/user-authenticators/passkey?credentialIds=${ids}`, {
    headers: { authorization: `Basic ${Buffer.from(TEST_TENANT).toString('base64')}` }
  })
  const found = await lookup(`unknown,${id}`)
  t.equal(found.status, 200)
  t.same(Object.keys(await found.json()).sort(), ['credentialId', 'verifiedAt'])
  t.equal((await lookup('unknown')).status, 404)
})

t.test('authenticator app: enroll, verify with a real code, refuse a replayed code, then challenge', async t => {
  const emulator = await startEmulator(t)
  const enrollToken = await track(emulator, 'alice', 'signIn')
  const enrolled = await clientCall(emulator, '/user-authenticators/totp', {}, enrollToken)
  t.equal(enrolled.status, 200)
  t.match(enrolled.body.uri, /^otpauth:\/\/totp\/Passkey%20demo:alice\?secret=[A-Z2-7]+&issuer=Passkey\+demo&algorithm=SHA1&digits=6&period=30$/)
  const secret: string = enrolled.body.secret
  t.equal(matchTotp(secret, totp(secret)) != null, true)

  t.same((await emulator.serverClient().getUser({ userId: 'alice' })).enrolledVerificationMethods, [], 'not enrolled before the first code')
  const code = totp(secret)
  const verified = await clientCall(emulator, '/verify/totp', { verificationCode: code }, enrollToken)
  t.equal(verified.body.isVerified, true)
  t.equal(verified.body.userAuthenticator.verificationMethod, 'AUTHENTICATOR_APP')
  const validated = await emulator.serverClient().validateChallenge({ token: verified.body.accessToken })
  t.same([validated.isValid, validated.state, validated.verificationMethod], [true, 'CHALLENGE_SUCCEEDED', 'AUTHENTICATOR_APP'])

  // The next sign-in is challenged; the same code (same time step) is a replay.
  const challenged = await emulator.serverClient().track({ userId: 'alice', action: 'signIn' })
  t.equal(challenged.state, 'CHALLENGE_REQUIRED')
  const replay = await clientCall(emulator, '/verify/totp', { verificationCode: code }, challenged.token)
  t.same(replay.body, { isVerified: false, failureReason: 'CODE_INVALID_OR_EXPIRED' })
  // A code from the next time step (within the skew window) passes.
  const next = totp(secret, Date.now() + 30_000)
  const passed = await clientCall(emulator, '/verify/totp', { verificationCode: next }, challenged.token)
  t.equal(passed.body.isVerified, true)
})

t.test('authenticator app: wrong codes fail, and the limit ends the action in CHALLENGE_FAILED', async t => {
  const emulator = await startEmulator(t, { maxFailedAttempts: 3 })
  const token = await track(emulator, 'alice', 'signIn')
  const { secret } = (await clientCall(emulator, '/user-authenticators/totp', {}, token)).body
  const wrong = String((Number(totp(secret)) + 1) % 1_000_000).padStart(6, '0')
  for (let attempt = 1; attempt <= 2; attempt++) {
    const result = await clientCall(emulator, '/verify/totp', { verificationCode: attempt === 1 ? wrong : 'abc' }, token)
    t.same(result.body, { isVerified: false, failureReason: 'CODE_INVALID_OR_EXPIRED' })
  }
  const last = await clientCall(emulator, '/verify/totp', { verificationCode: wrong }, token)
  t.same(last.body, { isVerified: false, failureReason: 'MAX_ATTEMPTS_EXCEEDED' })
  t.equal((await emulator.serverClient().validateChallenge({ token })).state, 'CHALLENGE_FAILED')
  // Even the right code is refused now.
  const late = await clientCall(emulator, '/verify/totp', { verificationCode: totp(secret) }, token)
  t.equal(late.status, 403)
  t.equal(late.body.errorCode, 'challenge_failed')
})

t.test('Client API bodies are schema-checked: bad input is a 400 with an error body', async t => {
  const emulator = await startEmulator(t)
  const token = await track(emulator, 'alice', 'add-passkey')
  const cases: Array<[string, unknown, string | undefined]> = [
    ['/user-authenticators/passkey/registration-options', { authenticatorAttachment: 'usb' }, token],
    ['/user-authenticators/passkey/registration-options', { extra: 1 }, token],
    ['/user-authenticators/passkey', { challengeId: 'x' }, token],
    ['/user-authenticators/passkey', { registrationCredential: { id: '!!', rawId: 'x', type: 'public-key', response: {} }, challengeId: 'x' }, token],
    ['/verify/passkey', { authenticationCredential: 'nope', challengeId: 'x' }, undefined],
    ['/challenge', { action: 'has space' }, undefined],
    ['/verify/totp', { verificationCode: 123456 }, token]
  ]
  for (const [path, body, bearer] of cases) {
    const result = await clientCall(emulator, path, body, bearer)
    t.equal(result.status, 400, `${path} ${JSON.stringify(body).slice(0, 40)}`)
    t.equal(result.body.errorCode, 'invalid_request')
    t.type(result.body.error, 'string')
  }
  t.same(await emulator.serverClient().getAuthenticators({ userId: 'alice' }), [])
})
