// Pending enrollments (issue 12, finding 1): an authenticator that was started but never verified — an
// authenticator app whose first code was never entered, an email or SMS whose code was never entered —
// is usable only by a token that may enroll (scope add:authenticators, or a user with no verified
// authenticator: the same rule as adding any authenticator), is dropped when another authenticator is
// verified, and expires. Without that, the password alone passed the second factor: an attacker's own
// track token read the victim's abandoned app secret from the hosted page and verified a code of it.
import t from 'tap'
import { totp } from '../servers/authsignal-emulator/dist/totp.js'
import { startEmulator, type RunningEmulator } from './fixtures/emulator.js'
import { startStack } from './fixtures/idp.js'
import { beginLogin, getMfaReturn, postPassword, trackTokenOf } from './fixtures/oidc-flows.js'
import { clientCall, registerPasskey, SoftwareAuthenticator } from './fixtures/software-authenticator.js'

const ORIGIN = 'http://localhost:5001'

async function trackToken (emulator: RunningEmulator, userId: string, scope?: string): Promise<string> {
  const tracked = await emulator.serverClient().track({ userId, action: 'signIn', attributes: { redirectUrl: `${ORIGIN}/cb`, ...(scope != null ? { scope } : {}) } })
  return tracked.token
}

/** `totp.enroll()` as the browser SDK calls it: answers the secret the app would be set up with. */
async function startApp (emulator: RunningEmulator, token: string): Promise<{ status: number, secret?: string }> {
  const response = await fetch(`${emulator.apiUrl}/client/user-authenticators/totp`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
  const body = await response.json() as { secret?: string }
  return { status: response.status, secret: body.secret }
}

async function verifyCode (emulator: RunningEmulator, token: string, code: string): Promise<{ status: number, body: any }> {
  return await clientCall(emulator, '/verify/totp', { verificationCode: code }, token)
}

const qr = async (emulator: RunningEmulator, token: string): Promise<Response> => await fetch(`${emulator.origin}/challenge/totp-qr?token=${encodeURIComponent(token)}`)

/** A user with a verified passkey, enrolled with an add:authenticators token. */
async function withPasskey (emulator: RunningEmulator, userId: string): Promise<void> {
  const added = await registerPasskey(emulator, new SoftwareAuthenticator(ORIGIN), await trackToken(emulator, userId, 'add:authenticators'))
  if (added.status !== 200) throw new Error(`set-up: passkey enrollment answered ${added.status}`)
}

const pendingApps = (emulator: RunningEmulator, userId: string): number =>
  [...emulator.ctx.store.authenticators.values()].filter(a => a.userId === userId && a.verifiedAt == null).length

t.test('a pending app is served and accepted only for a token that may enroll', async t => {
  const emulator = await startEmulator(t)
  await withPasskey(emulator, 'alice')
  // The user adds an app from their settings (add:authenticators) and leaves before entering a code.
  const settings = await trackToken(emulator, 'alice', 'add:authenticators')
  const { status, secret } = await startApp(emulator, settings)
  t.equal(status, 200)
  t.equal(pendingApps(emulator, 'alice'), 1)

  // Someone with the password gets a plain track token (read:authenticators) for the same user.
  const attacker = await trackToken(emulator, 'alice')
  const image = await qr(emulator, attacker)
  t.equal(image.status, 403, 'the QR code of the pending app is not served')
  t.notMatch(image.headers.get('content-type'), /svg/)
  t.match(await image.text(), 'cannot add an authenticator')
  const refused = await verifyCode(emulator, attacker, totp(secret!))
  t.equal(refused.status, 400)
  t.equal(refused.body.errorCode, 'invalid_request')
  t.notOk(refused.body.accessToken)
  t.equal(pendingApps(emulator, 'alice'), 1, 'the app is still not verified')
  t.same(emulator.ctx.store.enrolledMethods('alice'), ['PASSKEY'])
  t.equal((await emulator.serverClient().validateChallenge({ token: attacker })).state, 'CHALLENGE_REQUIRED', 'the attacker\'s action did not succeed')

  // The token that started the enrollment still finishes it.
  t.equal((await qr(emulator, settings)).status, 200)
  const finished = await verifyCode(emulator, settings, totp(secret!))
  t.equal(finished.body.isVerified, true)
  t.same(emulator.ctx.store.enrolledMethods('alice'), ['PASSKEY', 'AUTHENTICATOR_APP'])
})

t.test('a user\'s pending app is dropped when another authenticator is verified', async t => {
  const emulator = await startEmulator(t)
  // First sign-in: no authenticator yet, so the plain track token may enroll. The user opens
  // "Authenticator app" (a pending app), then enrolls a passkey instead.
  const token = await trackToken(emulator, 'alice')
  const { secret } = await startApp(emulator, token)
  t.equal(pendingApps(emulator, 'alice'), 1)
  const added = await registerPasskey(emulator, new SoftwareAuthenticator(ORIGIN), token)
  t.equal(added.status, 200)
  t.equal(pendingApps(emulator, 'alice'), 0, 'the abandoned app is gone')
  // Even a token that may enroll finds nothing to finish.
  const settings = await trackToken(emulator, 'alice', 'add:authenticators')
  t.equal((await qr(emulator, settings)).status, 404)
  t.equal((await verifyCode(emulator, settings, totp(secret!))).body.isVerified, undefined)
  t.same(emulator.ctx.store.enrolledMethods('alice'), ['PASSKEY'])
})

t.test('a pending app expires', async t => {
  const emulator = await startEmulator(t, { pendingEnrollmentTtlSeconds: 1 })
  const token = await trackToken(emulator, 'alice')
  const { secret } = await startApp(emulator, token)
  t.equal((await qr(emulator, token)).status, 200)
  await new Promise(resolve => setTimeout(resolve, 1200))
  t.equal((await qr(emulator, token)).status, 404, 'no QR code for an expired enrollment')
  const late = await verifyCode(emulator, token, totp(secret!))
  t.equal(late.status, 400)
  t.equal(pendingApps(emulator, 'alice'), 0, 'and it is removed from the state')
  t.same(emulator.ctx.store.enrolledMethods('alice'), [])
})

t.test('through the IdP: the password alone no longer passes MFA with the victim\'s abandoned app', async t => {
  const { emulator, idp } = await startStack(t)
  // The victim's first sign-in on the hosted page: "Authenticator app" opened, then a passkey enrolled.
  const victim = await beginLogin(idp)
  const hosted = await postPassword(idp, victim, 'alice', 'alice')
  t.equal(hosted.status, 303)
  const victimToken = trackTokenOf(hosted.location!)
  const { secret } = await startApp(emulator, victimToken)
  t.equal((await registerPasskey(emulator, new SoftwareAuthenticator(idp.origin), victimToken)).status, 200)

  // The attacker knows the password only.
  const attack = await beginLogin(idp)
  const posted = await postPassword(idp, attack, 'alice', 'alice')
  t.equal(posted.status, 303)
  const attackerToken = trackTokenOf(posted.location!)
  t.not((await qr(emulator, attackerToken)).status, 200, 'no secret to read')
  const verified = await verifyCode(emulator, attackerToken, totp(secret!))
  t.not(verified.body.isVerified, true)
  // Whatever token the attacker brings back, the IdP does not sign them in.
  const back = await getMfaReturn(idp, attack, verified.body.accessToken ?? attackerToken)
  t.not(back.status, 303, 'no redirect onward to the client')
  t.same(emulator.ctx.store.enrolledMethods('alice'), ['PASSKEY'], 'no attacker app on the account')
})

t.test('nearby: a passkey registration started before another authenticator was verified cannot be finished without add:authenticators', async t => {
  const emulator = await startEmulator(t)
  const token = await trackToken(emulator, 'alice')
  const authenticator = new SoftwareAuthenticator(ORIGIN)
  const options = await clientCall(emulator, '/user-authenticators/passkey/registration-options', {}, token)
  t.equal(options.status, 200, 'allowed while the user has no authenticator')
  await withPasskey(emulator, 'alice')
  const registrationCredential = authenticator.create(options.body.options)
  const late = await clientCall(emulator, '/user-authenticators/passkey', { registrationCredential, challengeId: options.body.challengeId }, token)
  t.equal(late.status, 403)
  t.equal(late.body.errorCode, 'insufficient_scope')
  t.equal(emulator.ctx.store.authenticatorsOf('alice').length, 1)
})

t.test('the ways that must keep working: a first app with a plain track token, a second with add:authenticators', async t => {
  const emulator = await startEmulator(t)
  const first = await trackToken(emulator, 'alice')
  const { secret } = await startApp(emulator, first)
  t.equal((await qr(emulator, first)).status, 200)
  t.equal((await verifyCode(emulator, first, totp(secret!))).body.isVerified, true)
  // The verified app answers a plain track token's challenge, as before.
  const challenge = await trackToken(emulator, 'alice')
  t.equal((await verifyCode(emulator, challenge, totp(secret!, Date.now() + 30_000))).body.isVerified, true)
  // A second app needs add:authenticators now that the user has one.
  t.equal((await startApp(emulator, challenge)).status, 403)
  const settings = await trackToken(emulator, 'alice', 'add:authenticators')
  const second = await startApp(emulator, settings)
  t.equal(second.status, 200)
  t.equal((await verifyCode(emulator, settings, totp(second.secret!))).body.isVerified, true)
  t.equal(emulator.ctx.store.authenticatorsOf('alice').filter(a => a.totp != null).length, 2)
})
