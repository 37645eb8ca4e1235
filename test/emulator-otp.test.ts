// Email OTP and SMS in the emulator: authenticators enrolled on the user's behalf (Server API) or by the
// user with a code (Client API), challenged after `track`, verified with the code from the local outbox;
// the Server API's own challenges (challenge, verify, claim, getChallenge) through the real Node SDK; the
// outbox over HTTP behind the secret; and the enrollment rule every pending authenticator follows.
import { AuthsignalError, VerificationMethod } from '@authsignal/node'
import t from 'tap'
import { startEmulator, type RunningEmulator } from './fixtures/emulator.js'
import { clientCall, registerPasskey, SoftwareAuthenticator } from './fixtures/software-authenticator.js'
import { suiteLogger } from './fixtures/log-capture.js'

const ORIGIN = 'http://localhost:5001'
const basic = (secret: string): string => `Basic ${Buffer.from(`${secret}:`).toString('base64')}`

async function trackToken (emulator: RunningEmulator, userId: string, scope?: string): Promise<{ token: string, state: string }> {
  const tracked = await emulator.serverClient().track({ userId, action: 'signIn', attributes: scope != null ? { scope } : {} })
  return { token: tracked.token, state: tracked.state }
}

/** The code of the newest message to `to`, read the way a developer would: GET /__emulator/outbox. */
async function outboxCode (emulator: RunningEmulator, to: string): Promise<string> {
  const response = await fetch(`${emulator.origin}/__emulator/outbox?to=${encodeURIComponent(to)}`, { headers: { authorization: basic(emulator.secret) } })
  const { messages } = await response.json() as { messages: Array<{ code: string }> }
  if (messages[0] == null) throw new Error(`no message to ${to}`)
  return messages[0].code
}

/** A six-digit code that is not `code`. */
const otherThan = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0')

t.test('email OTP: enrolled by the user with a code from the outbox; the token validates; a code works once', async t => {
  const emulator = await startEmulator(t)
  const { token, state } = await trackToken(emulator, 'erin')
  t.equal(state, 'ALLOW', 'no authenticator yet')
  const enrolled = await clientCall(emulator, '/user-authenticators/email-otp', { email: 'erin@example.com' }, token)
  t.equal(enrolled.status, 200)
  t.same(Object.keys(enrolled.body).sort(), ['userAuthenticatorId', 'userId'])
  t.equal(enrolled.body.userId, 'erin')
  t.same(emulator.ctx.store.enrolledMethods('erin'), [], 'pending until the code is entered')
  const [message] = emulator.ctx.outbox.list('erin@example.com')
  t.match(message, { channel: 'email', to: 'erin@example.com', purpose: 'enrollment', userId: 'erin', action: 'signIn' })
  t.match(message?.code, /^\d{6}$/)
  t.match(message?.text, `${message?.code ?? ''} is your Passkey demo verification code`)

  const code = await outboxCode(emulator, 'erin@example.com')
  t.same((await clientCall(emulator, '/verify/email-otp', { verificationCode: otherThan(code) }, token)).body, { isVerified: false, failureReason: 'CODE_INVALID_OR_EXPIRED' })
  const verified = await clientCall(emulator, '/verify/email-otp', { verificationCode: code }, token)
  t.equal(verified.body.isVerified, true)
  t.match(verified.body.userAuthenticator, { verificationMethod: 'EMAIL_OTP', email: 'erin@example.com', userId: 'erin' })
  const validated = await emulator.serverClient().validateChallenge({ token: verified.body.accessToken, action: 'signIn' })
  t.same([validated.isValid, validated.state, validated.verificationMethod, validated.userId], [true, 'CHALLENGE_SUCCEEDED', 'EMAIL_OTP', 'erin'])
  const [listed] = await emulator.serverClient().getAuthenticators({ userId: 'erin' })
  t.match(listed, { verificationMethod: 'EMAIL_OTP', email: 'erin@example.com' })
  t.type(listed?.verifiedAt, 'string')
  // The same code again: there is no code to verify any more.
  const again = await clientCall(emulator, '/verify/email-otp', { verificationCode: code }, token)
  t.equal(again.status, 400)
  t.equal(again.body.errorCode, 'invalid_request')
})

t.test('SMS: enrolled on the user\'s behalf, challenged after track, verified with the texted code', async t => {
  const emulator = await startEmulator(t)
  const client = emulator.serverClient()
  await client.enrollVerifiedAuthenticator({ userId: 'sam', attributes: { verificationMethod: VerificationMethod.SMS, phoneNumber: '+64270000001' } })
  const { token, state } = await trackToken(emulator, 'sam')
  t.equal(state, 'CHALLENGE_REQUIRED')
  t.equal(emulator.ctx.outbox.list().length, 0, 'nothing is sent until the challenge starts')
  const challenge = await clientCall(emulator, '/challenge/sms', undefined, token)
  t.equal(challenge.status, 200)
  t.type(challenge.body.challengeId, 'string')
  t.match(emulator.ctx.outbox.list('+64270000001')[0], { channel: 'sms', purpose: 'challenge', userId: 'sam' })
  // A second challenge replaces the first code.
  const first = await outboxCode(emulator, '+64270000001')
  await clientCall(emulator, '/challenge/sms', {}, token)
  const second = await outboxCode(emulator, '+64270000001')
  if (first !== second) t.equal((await clientCall(emulator, '/verify/sms', { verificationCode: first }, token)).body.isVerified, false, 'the replaced code no longer works')
  const verified = await clientCall(emulator, '/verify/sms', { verificationCode: second }, token)
  t.equal(verified.body.isVerified, true)
  t.notOk('userAuthenticator' in verified.body, 'only an enrollment answers the authenticator')
  const validated = await client.validateChallenge({ token: verified.body.accessToken })
  t.same([validated.state, validated.verificationMethod], ['CHALLENGE_SUCCEEDED', 'SMS'])

  // Email challenge for a user without an email authenticator: a refusal in words.
  const none = await clientCall(emulator, '/challenge/email-otp', undefined, (await trackToken(emulator, 'sam')).token)
  t.equal(none.status, 400)
  t.match(none.body.errorDescription, 'no email OTP authenticator')
})

t.test('wrong codes up to the limit: MAX_ATTEMPTS_EXCEEDED and the action fails', async t => {
  const emulator = await startEmulator(t, { maxFailedAttempts: 3 })
  await emulator.serverClient().enrollVerifiedAuthenticator({ userId: 'sam', attributes: { verificationMethod: VerificationMethod.EMAIL_OTP, email: 'sam@example.com' } })
  const { token } = await trackToken(emulator, 'sam')
  await clientCall(emulator, '/challenge/email-otp', undefined, token)
  const code = await outboxCode(emulator, 'sam@example.com')
  const reasons = []
  for (let i = 0; i < 3; i++) reasons.push((await clientCall(emulator, '/verify/email-otp', { verificationCode: otherThan(code) }, token)).body.failureReason)
  t.same(reasons, ['CODE_INVALID_OR_EXPIRED', 'CODE_INVALID_OR_EXPIRED', 'MAX_ATTEMPTS_EXCEEDED'])
  const after = await clientCall(emulator, '/verify/email-otp', { verificationCode: code }, token)
  t.equal(after.status, 403, 'even the right code is refused now')
  t.equal(after.body.errorCode, 'challenge_failed')
  t.equal((await emulator.serverClient().validateChallenge({ token })).state, 'CHALLENGE_FAILED')
})

t.test('the enrollment rule: add:authenticators once the user has one; a pending email or SMS is dropped, expires, and needs a token that may enroll', async t => {
  const emulator = await startEmulator(t, { pendingEnrollmentTtlSeconds: 2 })
  const added = await registerPasskey(emulator, new SoftwareAuthenticator(ORIGIN), (await trackToken(emulator, 'pat', 'add:authenticators')).token)
  t.equal(added.status, 200)
  const plain = (await trackToken(emulator, 'pat')).token
  for (const [path, body] of [['/user-authenticators/email-otp', { email: 'pat@example.com' }], ['/user-authenticators/sms', { phoneNumber: '+64270000002' }]] as const) {
    const refused = await clientCall(emulator, path, body, plain)
    t.equal(refused.status, 403, path)
    t.equal(refused.body.errorCode, 'insufficient_scope')
  }
  t.equal(emulator.ctx.outbox.list().length, 0, 'no code was sent for a refused enrollment')

  // Started from settings (add:authenticators); someone with only a plain track token cannot finish it.
  const settings = (await trackToken(emulator, 'pat', 'add:authenticators')).token
  t.equal((await clientCall(emulator, '/user-authenticators/sms', { phoneNumber: '+64270000002' }, settings)).status, 200)
  const code = await outboxCode(emulator, '+64270000002')
  const stolen = await clientCall(emulator, '/verify/sms', { verificationCode: code }, plain)
  t.equal(stolen.status, 400, 'the plain token has no code of its own to verify')
  t.same(emulator.ctx.store.enrolledMethods('pat'), ['PASSKEY'])
  // It expires: the token that started it cannot finish it late.
  await new Promise(resolve => setTimeout(resolve, 2100))
  const late = await clientCall(emulator, '/verify/sms', { verificationCode: code }, settings)
  t.equal(late.status, 400)
  t.match(late.body.errorDescription, 'no longer pending')
  t.same(emulator.ctx.store.enrolledMethods('pat'), ['PASSKEY'])

  // Dropped when another authenticator is verified: an email pending while an app is verified.
  const fresh = (await trackToken(emulator, 'quinn')).token
  await clientCall(emulator, '/user-authenticators/email-otp', { email: 'quinn@example.com' }, fresh)
  await clientCall(emulator, '/user-authenticators/sms', { phoneNumber: '+64270000003' }, fresh)
  t.equal([...emulator.ctx.store.authenticators.values()].filter(a => a.userId === 'quinn' && a.verifiedAt == null).length, 2)
  const sms = await clientCall(emulator, '/verify/sms', { verificationCode: await outboxCode(emulator, '+64270000003') }, fresh)
  t.equal(sms.body.isVerified, true)
  t.same(emulator.ctx.store.enrolledMethods('quinn'), ['SMS'])
  t.equal([...emulator.ctx.store.authenticators.values()].filter(a => a.userId === 'quinn' && a.verifiedAt == null).length, 0, 'the pending email is gone')
  const emailLate = await clientCall(emulator, '/verify/email-otp', { verificationCode: await outboxCode(emulator, 'quinn@example.com') }, fresh)
  t.equal(emailLate.status, 400)
  t.same(emulator.ctx.store.enrolledMethods('quinn'), ['SMS'])
})

t.test('Server API challenges through the Node SDK: challenge, getChallenge, verify, claim', async t => {
  const emulator = await startEmulator(t)
  const client = emulator.serverClient()
  const started = await client.challenge({ verificationMethod: 'SMS', action: 'signInWithSms', phoneNumber: '+64270000004' })
  t.type(started.challengeId, 'string')
  t.type(started.idempotencyKey, 'string')
  t.ok(started.expiresAt > Date.now() / 1000 && started.expiresAt < Date.now() / 1000 + 3600, 'expiresAt is Unix seconds')
  t.match(await client.getChallenge({ challengeId: started.challengeId }), { challengeId: started.challengeId, verificationMethod: 'SMS', phoneNumber: '+64270000004', action: 'signInWithSms' })
  const code = await outboxCode(emulator, '+64270000004')
  t.match(emulator.ctx.outbox.list('+64270000004')[0], { purpose: 'server', action: 'signInWithSms' })

  // Claiming before verifying is refused.
  t.match(await client.claimChallenge({ challengeId: started.challengeId, userId: 'sms-user' }).then(() => null, (e: unknown) => e), { statusCode: 400, errorCode: 'invalid_request' })
  t.same(await client.verify({ challengeId: started.challengeId, verificationCode: otherThan(code) }), { isVerified: false, failureReason: 'CODE_INVALID_OR_EXPIRED' })
  t.same(await client.verify({ challengeId: started.challengeId, verificationCode: code }), { isVerified: true, verificationMethod: 'SMS', phoneNumber: '+64270000004' })
  t.same(await client.verify({ challengeId: started.challengeId, verificationCode: code }), { isVerified: false, failureReason: 'CODE_INVALID_OR_EXPIRED' }, 'a code is used once')

  const claimed = await client.claimChallenge({ challengeId: started.challengeId, userId: 'sms-user' })
  t.equal(claimed.verificationMethod, 'SMS')
  const validated = await client.validateChallenge({ token: claimed.token, action: 'signInWithSms', userId: 'sms-user' })
  t.same([validated.isValid, validated.state, validated.verificationMethod, validated.idempotencyKey], [true, 'CHALLENGE_SUCCEEDED', 'SMS', started.idempotencyKey])
  t.match(await client.claimChallenge({ challengeId: started.challengeId, userId: 'sms-user' }).then(() => null, (e: unknown) => e), { statusCode: 400 }, 'claimed once')
  t.match(await client.getChallenge({ challengeId: started.challengeId }).then(() => null, (e: unknown) => e), { statusCode: 404 }, 'a claimed challenge is no longer active')

  // skipVerificationCheck: claimed without a code (the caller verified it elsewhere).
  const email = await client.challenge({ verificationMethod: 'EMAIL_OTP', action: 'signInWithEmail', email: 'e@example.com' })
  t.equal((await client.claimChallenge({ challengeId: email.challengeId, userId: 'e-user', skipVerificationCheck: true })).verificationMethod, 'EMAIL_OTP')

  // Bad input: refused in words, nothing sent.
  const before = emulator.ctx.outbox.list().length
  for (const request of [
    { verificationMethod: 'SMS' as const, action: 'x' },
    { verificationMethod: 'SMS' as const, action: 'x', phoneNumber: '0270000000' },
    { verificationMethod: 'EMAIL_OTP' as const, action: 'x', phoneNumber: '+64270000000' },
    { verificationMethod: 'WHATSAPP' as const, action: 'x', phoneNumber: '+64270000000' }
  ]) {
    const error = await client.challenge(request).then(() => null, (e: unknown) => e)
    t.ok(error instanceof AuthsignalError && error.statusCode === 400, JSON.stringify(request))
  }
  t.equal(emulator.ctx.outbox.list().length, before)
})

t.test('the outbox over HTTP: JSON and a page, behind the secret; codes never reach the log', async t => {
  const lines: string[] = []
  const emulator = await startEmulator(t, { logger: { ...suiteLogger('emulator', lines), level: 'debug' } })
  const { token } = await trackToken(emulator, 'odd')
  const weird = '<b>odd</b>@example.com'
  t.equal((await clientCall(emulator, '/user-authenticators/email-otp', { email: weird }, token)).status, 200)
  const code = emulator.ctx.outbox.latestCode(weird) ?? ''

  for (const authorization of [undefined, basic('wrong-secret'), `Bearer ${token}`]) {
    const json = await fetch(`${emulator.origin}/__emulator/outbox`, { headers: authorization != null ? { authorization } : {} })
    t.equal(json.status, 401)
    t.equal(json.headers.get('www-authenticate'), null, 'the JSON route does not prompt')
    const page = await fetch(`${emulator.origin}/__emulator/outbox.html`, { headers: authorization != null ? { authorization } : {} })
    t.equal(page.status, 401)
    t.match(page.headers.get('www-authenticate'), /^Basic realm="authsignal-emulator outbox/, 'a browser asks for the secret')
    t.notMatch(await page.text(), code)
  }
  const json = await (await fetch(`${emulator.origin}/__emulator/outbox`, { headers: { authorization: basic(emulator.secret) } })).json() as { messages: Array<Record<string, unknown>> }
  t.equal(json.messages.length, 1)
  t.match(json.messages[0], { channel: 'email', to: weird, code, purpose: 'enrollment' })
  t.same((await (await fetch(`${emulator.origin}/__emulator/outbox?to=nobody@example.com`, { headers: { authorization: basic(emulator.secret) } })).json() as { messages: unknown[] }).messages, [])

  const page = await fetch(`${emulator.origin}/__emulator/outbox.html`, { headers: { authorization: basic(emulator.secret) } })
  t.equal(page.status, 200)
  t.match(page.headers.get('content-security-policy'), "default-src 'none'")
  t.equal(page.headers.get('cache-control'), 'no-store')
  const html = await page.text()
  t.match(html, `<strong>${code}</strong>`)
  t.match(html, '&#60;b&#62;odd&#60;/b&#62;@example.com', 'addresses are escaped')
  t.notMatch(html, '<b>odd</b>')

  t.equal((await fetch(`${emulator.origin}/__emulator/outbox`, { method: 'DELETE', headers: { authorization: basic(emulator.secret) } })).status, 200)
  t.same(emulator.ctx.outbox.list(), [])

  t.ok(lines.some(line => line.includes('code sent to the outbox')), 'the send is logged')
  t.notOk(lines.some(line => line.includes(code)), 'the code is not')
  t.notOk(lines.some(line => line.includes('odd</b>@example.com')), 'nor the full address')
})
