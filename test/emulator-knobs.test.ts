// The knobs: behaviours no public source pins down, each with a default from the evidence and a
// pessimistic value (servers/authsignal-emulator/README.md, "Knobs"). First what the emulator answers under
// each value; then the product (IdP, app, elements' error mapping) run against the pessimistic values.
// Where the product copes, the test says so; where it cannot, the test holds it to failing closed — no
// sign-in, no crash, the interaction still usable — and the gap is reported to the product's owners.
import { SignJWT } from 'jose'
import t from 'tap'
import { MESSAGES } from 'fastify-passkey-login'
import { fromApiError, fromThrown } from '../components/src/internal/error-codes.js'
import { emulatorConfigFromEnv, resolveOptions } from '../servers/authsignal-emulator/dist/config.js'
import { startEmulator, TEST_SECRET, TEST_TENANT, type RunningEmulator } from './fixtures/emulator.js'
import { startStack } from './fixtures/idp.js'
import {
  beginLogin, completeAtRp, completeTotpChallenge, enrollPasskey, getMfaReturn, passkeySignIn, postPasskeyToken, postPassword, trackTokenOf
} from './fixtures/oidc-flows.js'
import { clientCall, registerPasskey, signInWithPasskey, SoftwareAuthenticator } from './fixtures/software-authenticator.js'

const ORIGIN = 'http://localhost:5001'
const TOKEN_WORDS = 'We could not complete your sign-in. Please try again.'
const OUTAGE_WORDS = 'Sign-in is temporarily unavailable. Please try again in a moment.'

/** A token-shaped JWT the emulator did not sign (a forged or foreign token). */
async function forgedToken (userId = 'alice'): Promise<string> {
  return await new SignJWT({ scope: 'read:authenticators', other: { tenantId: TEST_TENANT, userId, actionCode: 'signIn', idempotencyKey: 'forged' } })
    .setProtectedHeader({ alg: 'HS256' }).setSubject(userId).setAudience(TEST_TENANT).setIssuedAt().setExpirationTime('5m')
    .sign(new TextEncoder().encode('not-the-emulator-secret-0123456789'))
}

async function rawValidate (emulator: RunningEmulator, body: unknown): Promise<{ status: number, body: any }> {
  const response = await fetch(`${emulator.apiUrl}/validate`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${TEST_SECRET}:`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  return { status: response.status, body: await response.json() }
}

// ---------------------------------------------------------------------------------------------------
// What the emulator answers under each knob value
// ---------------------------------------------------------------------------------------------------

t.test('knob validateErrorStatus: 200 isValid:false (default), or a 400 / 401 error body, for bad, expired and mismatched tokens', async t => {
  for (const status of [200, 400, 401] as const) {
    const emulator = await startEmulator(t, { validateErrorStatus: status })
    const { token } = await emulator.serverClient().track({ userId: 'alice', action: 'signIn' })
    const expired = await new SignJWT({ scope: 'read:authenticators', other: { tenantId: TEST_TENANT, userId: 'alice', actionCode: 'signIn', idempotencyKey: 'x' } })
      .setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setAudience(TEST_TENANT).setIssuedAt(Math.floor(Date.now() / 1000) - 700)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 100).sign(new TextEncoder().encode(TEST_SECRET))
    const cases: Array<[string, unknown, string]> = [
      ['forged', { token: await forgedToken() }, 'invalid_token'],
      ['expired', { token: expired }, 'expired_token'],
      ['another user', { token, userId: 'bob' }, 'invalid_request'],
      ['another action', { token, action: 'add-passkey' }, 'invalid_request']
    ]
    for (const [what, body, code] of cases) {
      const answer = await rawValidate(emulator, body)
      t.equal(answer.status, status, `${what} at ${status}`)
      if (status === 200) {
        t.equal(answer.body.isValid, false)
        t.type(answer.body.error, 'string')
      } else {
        t.same([answer.body.error, answer.body.errorCode], [code, code], `${what}: ${code}`)
        t.type(answer.body.errorDescription, 'string')
      }
    }
    // A good token is never affected.
    t.equal((await rawValidate(emulator, { token })).status, 200)
  }
})

t.test('knob hostedEnrollmentState: a first enrollment completes an ALLOW action as CHALLENGE_SUCCEEDED (default) or leaves it ALLOW', async t => {
  for (const state of ['CHALLENGE_SUCCEEDED', 'ALLOW'] as const) {
    const emulator = await startEmulator(t, { hostedEnrollmentState: state })
    const tracked = await emulator.serverClient().track({ userId: 'newbie', action: 'signIn', attributes: { redirectUrl: `${ORIGIN}/cb` } })
    t.equal(tracked.state, 'ALLOW')
    const added = await registerPasskey(emulator, new SoftwareAuthenticator(ORIGIN), tracked.token)
    t.equal(added.status, 200)
    const validated = await emulator.serverClient().validateChallenge({ token: added.body.accessToken })
    t.equal(validated.state, state)
    t.equal(validated.isValid, state === 'CHALLENGE_SUCCEEDED')
    t.equal(validated.verificationMethod, 'PASSKEY', 'the method is recorded either way')
    // The hosted page still sends the user back (the site's validate decides).
    const complete = await fetch(`${emulator.origin}/challenge/complete`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${encodeURIComponent(added.body.accessToken)}`
    })
    t.equal(complete.status, 303)
    // A challenge by an enrolled user is a success whatever the knob.
    const again = await emulator.serverClient().track({ userId: 'newbie', action: 'signIn' })
    t.equal(again.state, 'CHALLENGE_REQUIRED')
  }
})

t.test('knobs userVerification and residentKey: what registration asks for, and what verification accepts', async t => {
  const strict = await startEmulator(t)
  const loose = await startEmulator(t, { userVerification: 'preferred', residentKey: 'preferred' })
  for (const [emulator, uv, rk] of [[strict, 'required', 'required'], [loose, 'preferred', 'preferred']] as const) {
    const { token } = await emulator.serverClient().track({ userId: 'alice', action: 'add-passkey', attributes: { scope: 'add:authenticators' } })
    const options = await clientCall(emulator, '/user-authenticators/passkey/registration-options', {}, token)
    t.same(options.body.options.authenticatorSelection, { residentKey: rk, userVerification: uv, requireResidentKey: rk === 'required' })
  }
  // A passkey used without user verification (no PIN, no biometric).
  for (const [emulator, accepted] of [[strict, false], [loose, true]] as const) {
    const authenticator = new SoftwareAuthenticator(ORIGIN)
    await registerPasskey(emulator, authenticator, (await emulator.serverClient().track({ userId: 'uv', action: 'add-passkey', attributes: { scope: 'add:authenticators' } })).token)
    const signedIn = await signInWithPasskey(emulator, authenticator, { action: 'signInWithPasskey' }, { userVerified: false })
    t.equal(signedIn.status === 200, accepted, `UV-less assertion ${accepted ? 'accepted' : 'refused'}`)
  }
  // An authenticator that cannot store a discoverable credential: refused when required, a server-side
  // credential when preferred — which a username-less sign-in cannot find.
  const key = new SoftwareAuthenticator(ORIGIN)
  key.residentKeys = false
  const addToken = async (emulator: RunningEmulator): Promise<string> => (await emulator.serverClient().track({ userId: 'key', action: 'add-passkey', attributes: { scope: 'add:authenticators' } })).token
  await t.rejects(registerPasskey(strict, key, await addToken(strict)), { name: 'ConstraintError' })
  t.equal((await registerPasskey(loose, key, await addToken(loose))).status, 200)
  await t.rejects(signInWithPasskey(loose, key, { action: 'signInWithPasskey' }), { name: 'NotAllowedError' }, 'not offered without a user')
})

t.test('knob removedCredentialError: a removed passkey answers invalid_credential (default) or unknown_credential', async t => {
  for (const code of ['invalid_credential', 'unknown_credential'] as const) {
    const emulator = await startEmulator(t, { removedCredentialError: code })
    const authenticator = new SoftwareAuthenticator(ORIGIN)
    await registerPasskey(emulator, authenticator, (await emulator.serverClient().track({ userId: 'alice', action: 'add-passkey', attributes: { scope: 'add:authenticators' } })).token)
    const [passkey] = await emulator.serverClient().getAuthenticators({ userId: 'alice' })
    await emulator.serverClient().deleteAuthenticator({ userId: 'alice', userAuthenticatorId: passkey!.userAuthenticatorId })
    const refused = await signInWithPasskey(emulator, authenticator, { action: 'signInWithPasskey' })
    t.equal(refused.status, 400)
    t.same([refused.body.error, refused.body.errorCode], [code, code])
  }
})

t.test('knob hostedPasskeys: on by default on the RP ID\'s own host; off, the page offers no passkey and says why', async t => {
  t.equal(resolveOptions({ secret: TEST_SECRET, tenantId: TEST_TENANT }).hostedPasskeys, true, 'localhost page, RP ID localhost')
  t.equal(resolveOptions({ secret: TEST_SECRET, tenantId: TEST_TENANT, rpId: 'example.com', publicUrl: 'https://auth.example.com' }).hostedPasskeys, true, 'a custom domain under the RP ID')
  t.equal(resolveOptions({ secret: TEST_SECRET, tenantId: TEST_TENANT, rpId: 'example.com', publicUrl: 'https://mfa.authsignal.example' }).hostedPasskeys, false, 'a host outside the RP ID')

  const on = await startEmulator(t)
  const off = await startEmulator(t, { hostedPasskeys: false })
  const page = async (emulator: RunningEmulator, userId: string): Promise<string> => {
    const { url } = await emulator.serverClient().track({ userId, action: 'signIn', attributes: { redirectUrl: `${ORIGIN}/cb` } })
    return await (await fetch(url)).text()
  }
  t.match(await page(on, 'first'), 'id="choose-passkey"')
  const first = await page(off, 'first')
  t.notMatch(first, 'id="choose-passkey"', 'no passkey enrollment offered')
  t.notMatch(first, 'data-screen="passkey-enroll"')
  t.match(first, 'id="choose-app"', 'the authenticator app is')

  await enrollPasskey(off, 'keyholder', ORIGIN)
  const keyholder = await page(off, 'keyholder')
  t.match(keyholder, '<h1 id="unavailable-title" tabindex="-1">Not available here</h1>')
  t.match(keyholder, 'sign in with your passkey there')
  t.notMatch(keyholder, 'data-run="passkey-challenge"')
})

t.test('the pessimistic preset and the environment', async t => {
  const resolved = resolveOptions({ secret: TEST_SECRET, tenantId: TEST_TENANT, pessimistic: true })
  t.same(
    [resolved.validateErrorStatus, resolved.hostedEnrollmentState, resolved.userVerification, resolved.residentKey, resolved.removedCredentialError, resolved.hostedPasskeys],
    [400, 'ALLOW', 'preferred', 'preferred', 'unknown_credential', false]
  )
  t.equal(resolveOptions({ secret: TEST_SECRET, tenantId: TEST_TENANT, pessimistic: true, validateErrorStatus: 401 }).validateErrorStatus, 401, 'a knob set explicitly wins')
  t.equal(resolveOptions({ secret: TEST_SECRET, tenantId: TEST_TENANT, validateMode: 'strict' }).validateErrorStatus, 400, 'the former strict mode')
  t.throws(() => resolveOptions({ secret: TEST_SECRET, tenantId: TEST_TENANT, validateErrorStatus: 418 as never }), /validateErrorStatus must be one of 200, 400, 401/)

  const env = emulatorConfigFromEnv({
    EMULATOR_PESSIMISTIC: '1', EMULATOR_VALIDATE_ERROR_STATUS: '401', EMULATOR_HOSTED_ENROLLMENT_STATE: 'ALLOW', EMULATOR_RESIDENT_KEY: 'preferred',
    EMULATOR_REMOVED_CREDENTIAL_ERROR: 'unknown_credential', EMULATOR_HOSTED_PASSKEYS: 'off', EMULATOR_USER_VERIFICATION: 'preferred'
  })
  t.match(env, { pessimistic: true, validateErrorStatus: 401, hostedEnrollmentState: 'ALLOW', residentKey: 'preferred', removedCredentialError: 'unknown_credential', hostedPasskeys: false, userVerification: 'preferred' })
  for (const variable of ['EMULATOR_VALIDATE_ERROR_STATUS', 'EMULATOR_HOSTED_ENROLLMENT_STATE', 'EMULATOR_RESIDENT_KEY', 'EMULATOR_REMOVED_CREDENTIAL_ERROR', 'EMULATOR_HOSTED_PASSKEYS', 'EMULATOR_PESSIMISTIC']) {
    t.throws(() => emulatorConfigFromEnv({ [variable]: 'sometimes' }), { name: 'ConfigError', message: new RegExp(`^${variable} must be`) })
  }
})

// ---------------------------------------------------------------------------------------------------
// The product against the pessimistic values
// ---------------------------------------------------------------------------------------------------

/** Password step for an enrolled user: answers the login start and the hosted page URL. */
async function toHostedPage (stack: Awaited<ReturnType<typeof startStack>>, username: string): Promise<{ start: Awaited<ReturnType<typeof beginLogin>>, url: string }> {
  const start = await beginLogin(stack.idp)
  const posted = await postPassword(stack.idp, start, username, username)
  if (posted.status !== 303 || posted.location == null) throw new Error(`password step answered ${posted.status}`)
  return { start, url: posted.location }
}

t.test('product, validate answering 400: a refused token is a refusal in the token words, not an outage (copes)', async t => {
  const stack = await startStack(t, { emulator: { validateErrorStatus: 400 } })
  // Passkey route.
  const start = await beginLogin(stack.idp)
  const passkey = await postPasskeyToken(stack.idp, start, await forgedToken())
  t.equal(passkey.status, 400)
  t.match(passkey.body, TOKEN_WORDS)
  t.notMatch(passkey.body, OUTAGE_WORDS)
  // MFA return, after the password step of a first sign-in.
  const { start: mfa } = await toHostedPage(stack, 'alice')
  const back = await getMfaReturn(stack.idp, mfa, await forgedToken())
  t.equal(back.status, 400)
  t.match(back.body, TOKEN_WORDS)
  // And a good token still signs in under this knob.
  const { start: good, url } = await toHostedPage(stack, 'bob')
  const { token } = await completeTotpChallenge(stack.emulator, url)
  const claims = await completeAtRp(good, await getMfaReturn(stack.idp, good, token))
  t.equal(claims.claims.sub, 'bob')
})

t.test('product, validate answering 401 for a bad token: a refusal in the token words (errorCode tells it from our own credentials refused)', async t => {
  const stack = await startStack(t, { emulator: { validateErrorStatus: 401 } })
  const start = await beginLogin(stack.idp)
  const refused = await postPasskeyToken(stack.idp, start, await forgedToken())
  t.equal(refused.status, 400, 'not signed in: refused')
  t.match(refused.body, TOKEN_WORDS)
  t.notMatch(refused.body, OUTAGE_WORDS, 'not an outage')
  t.match(refused.body, 'id="password-form"', 'the interaction is still usable: the login form is there')
  // Our own secret refused is still an outage (nobody can sign in until it is fixed).
  const wrongSecret = await startStack(t, { idp: { authsignal: { secret: 'not-the-emulator-secret-0123456789' } } })
  const other = await beginLogin(wrongSecret.idp)
  const outage = await postPasskeyToken(wrongSecret.idp, other, await forgedToken())
  t.equal(outage.status, 503)
  t.match(outage.body, OUTAGE_WORDS)
})

t.test('product, hostedEnrollmentState ALLOW: after enrolling on the hosted page, the words ask for the password again (fails closed, names the cause); the next sign-in passes', async t => {
  const stack = await startStack(t, { emulator: { hostedEnrollmentState: 'ALLOW' } })
  const { start, url } = await toHostedPage(stack, 'alice')
  const { token, secret } = await completeTotpChallenge(stack.emulator, url)
  const first = await getMfaReturn(stack.idp, start, token)
  t.not(first.status, 303, 'not signed in (the track token itself says ALLOW: ALLOW cannot be accepted here)')
  t.equal(first.status, 400)
  t.match(first.body, MESSAGES.enrolled, 'the words name the cause: set up, sign in again')
  t.same(stack.emulator.ctx.store.enrolledMethods('alice'), ['AUTHENTICATOR_APP'], 'the enrollment itself was kept')
  // Signing in again: now enrolled, a real challenge, which succeeds.
  const again = await toHostedPage(stack, 'alice')
  const challenge = await completeTotpChallenge(stack.emulator, again.url, { secret, stepOffset: 1 })
  const { claims } = await completeAtRp(again.start, await getMfaReturn(stack.idp, again.start, challenge.token))
  t.equal(claims.sub, 'alice')
})

t.test('product, userVerification preferred: a passkey used without user verification signs in to the IdP (reported)', async t => {
  const stack = await startStack(t, { emulator: { userVerification: 'preferred', residentKey: 'preferred' } })
  const passkey = await enrollPasskey(stack.emulator, 'alice', stack.idp.origin)
  const verified = await signInWithPasskey(stack.emulator, passkey.authenticator, { action: 'signInWithPasskey' }, { userVerified: false })
  t.equal(verified.status, 200, 'the emulator accepts it under this knob')
  const start = await beginLogin(stack.idp)
  const posted = await postPasskeyToken(stack.idp, start, verified.body.accessToken)
  t.comment(`observed: the IdP answered ${posted.status} to a passkey sign-in without user verification`)
  t.equal(posted.status, 303, 'the IdP cannot see user verification: validate does not report it')
})

t.test('product, residentKey preferred: a non-discoverable passkey cannot be found by the username-less sign-in; nothing signs in (reported)', async t => {
  const stack = await startStack(t, { emulator: { residentKey: 'preferred' } })
  const key = new SoftwareAuthenticator(stack.idp.origin)
  key.residentKeys = false
  const { token } = await stack.emulator.serverClient().track({ userId: 'alice', action: 'add-passkey', attributes: { scope: 'add:authenticators', username: 'alice' } })
  t.equal((await registerPasskey(stack.emulator, key, token)).status, 200, 'enrolled')
  // What <passkey-signin-button> runs: signIn({ action }) with an empty allow list.
  await t.rejects(passkeySignIn(stack.emulator, { userId: 'alice', authenticator: key, enrollmentToken: token }), { name: 'NotAllowedError' })
  t.equal(fromThrown(Object.assign(new Error('x'), { name: 'NotAllowedError' })).code, 'cancelled', 'which the elements treat as a quiet cancel')
})

t.test('product, removedCredentialError unknown_credential: the sign-in fails closed, and the elements treat it like a removed passkey', async t => {
  const stack = await startStack(t, { emulator: { removedCredentialError: 'unknown_credential' } })
  const passkey = await enrollPasskey(stack.emulator, 'alice', stack.idp.origin)
  const [stored] = await stack.emulator.serverClient().getAuthenticators({ userId: 'alice' })
  await stack.emulator.serverClient().deleteAuthenticator({ userId: 'alice', userAuthenticatorId: stored!.userAuthenticatorId })
  const refused = await signInWithPasskey(stack.emulator, passkey.authenticator, { action: 'signInWithPasskey' })
  t.equal(refused.body.errorCode, 'unknown_credential')
  t.notOk(refused.body.accessToken, 'no token to submit')
  const removed = fromApiError('invalid_credential')
  const unknown = fromApiError('unknown_credential')
  t.equal(unknown.ok, false, 'an error, not a success')
  t.equal(removed.code, 'not-allowed')
  t.equal(unknown.code, 'not-allowed', 'the same words as a removed passkey')
})

t.test('product, hostedPasskeys off: a passkey-only user cannot pass MFA on the hosted page; it fails closed and the IdP\'s passkey sign-in still works (reported)', async t => {
  const stack = await startStack(t, { emulator: { hostedPasskeys: false } })
  const passkey = await enrollPasskey(stack.emulator, 'alice', stack.idp.origin)
  const { start, url } = await toHostedPage(stack, 'alice')
  const hosted = await (await fetch(url)).text()
  t.match(hosted, 'Not available here')
  // The user can only cancel: back with the track token, which validates to CHALLENGE_REQUIRED.
  const back = await getMfaReturn(stack.idp, start, trackTokenOf(url))
  t.equal(back.status, 400)
  t.match(back.body, TOKEN_WORDS)
  // The IdP's own passkey sign-in is unaffected by the hosted page.
  const direct = await beginLogin(stack.idp)
  const { claims } = await completeAtRp(direct, await postPasskeyToken(stack.idp, direct, await passkeySignIn(stack.emulator, passkey)))
  t.equal(claims.sub, 'alice')
})
