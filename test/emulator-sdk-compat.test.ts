// The official server SDKs' own test suites, restated against the emulator. Each SDK repository has
// integration tests that run against the real Authsignal API (authsignal-node test/client.test.ts,
// authsignal-python authsignal/client_tests.py, authsignalgo client/*_test.go, authsignal-ruby
// spec/authsignal/authsignal_spec.rb, authsignal-java src/test/…/AuthsignalClientTests.java,
// authsignal-dotnet tests/ClientTests.cs): what they assert is what the real service answers. Node runs
// through its real SDK; the others send exactly what their SDK sends — paths, methods, body keys, nulls,
// content types — and check what their SDK reads. The tenant state those suites assume (a user123 who is
// enrolled, a user with a Google Password Manager passkey) is set up here first.
import { Authsignal, AuthsignalError, UserActionState, VerificationMethod } from '@authsignal/node'
import { randomUUID } from 'node:crypto'
import t, { type Test } from 'tap'
import { startEmulator, type RunningEmulator } from './fixtures/emulator.js'
import { SoftwareAuthenticator } from './fixtures/software-authenticator.js'

const UNAUTHORIZED = 'The request is unauthorized. Check that your API key and region base URL are correctly configured.'
const ORIGIN = 'http://localhost:5001'
const CHROME_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'
const GOOGLE_PASSWORD_MANAGER = 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4'

interface Answer { status: number, type: string | null, body: any }

/** One HTTP call as an SDK makes it: Basic(secret:) auth, a JSON body exactly as given (a string is sent as is). */
async function call (url: string, method: string, secret: string, body?: unknown): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${secret}:`).toString('base64')}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {})
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {})
  })
  const text = await response.text()
  let parsed: unknown = text
  try { parsed = JSON.parse(text) } catch {}
  return { status: response.status, type: response.headers.get('content-type'), body: parsed }
}

/** What the SDKs' test tenants have: user123 enrolled (Python and Go suites track it and expect a challenge). */
async function enrollSms (emulator: RunningEmulator, userId: string, phoneNumber = '+64270000000'): Promise<Answer> {
  return await call(`${emulator.apiUrl}/users/${encodeURIComponent(userId)}/authenticators`, 'POST', emulator.secret, { verificationMethod: 'SMS', phoneNumber })
}

/** A passkey created in Chrome and saved in Google Password Manager (the suites' fixture user b60429a1-…). */
async function googlePasskeyUser (emulator: RunningEmulator, userId: string): Promise<void> {
  const { token } = await emulator.serverClient().track({ userId, action: 'add-passkey', attributes: { scope: 'add:authenticators' } })
  const authenticator = new SoftwareAuthenticator(ORIGIN)
  authenticator.aaguid = Buffer.from(GOOGLE_PASSWORD_MANAGER.replaceAll('-', ''), 'hex')
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'user-agent': CHROME_UA }
  const options = await (await fetch(`${emulator.apiUrl}/client/user-authenticators/passkey/registration-options`, { method: 'POST', headers, body: '{}' })).json() as any
  const registrationCredential = authenticator.create(options.options)
  const added = await fetch(`${emulator.apiUrl}/client/user-authenticators/passkey`, { method: 'POST', headers, body: JSON.stringify({ registrationCredential, challengeId: options.challengeId }) })
  if (added.status !== 200) throw new Error(`set-up: passkey registration answered ${added.status}`)
}

/** The passkey assertions every suite makes (Node, Ruby, Java, .NET "passkey authenticator"). */
function assertPasskeyAuthenticators (t: Test, authenticators: any[]): void {
  t.ok(authenticators.length > 0, 'the user has authenticators')
  const passkeys = authenticators.filter(a => a.verificationMethod === 'PASSKEY')
  t.equal(passkeys.length, 1)
  for (const authenticator of passkeys) {
    const mapping = authenticator.webauthnCredential?.aaguidMapping
    t.ok(['Google Password Manager', 'iCloud Keychain'].includes(mapping?.name), 'a known passkey provider')
    // Documented, and required (non-nullable) in the Node and .NET types.
    t.match(mapping?.svgIconLight, /^data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+$/)
    t.match(mapping?.svgIconDark, /^data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+$/)
    t.not(mapping?.svgIconLight, mapping?.svgIconDark, 'one icon per colour scheme')
    t.equal(authenticator.webauthnCredential?.parsedUserAgent?.browser?.name, 'Chrome')
  }
}

t.test('authsignal-node: its client tests, through the real SDK', async t => {
  const emulator = await startEmulator(t)
  const client = emulator.serverClient()

  await t.test('user tests', async t => {
    const userId = randomUUID()
    t.ok(await client.enrollVerifiedAuthenticator({ userId, attributes: { verificationMethod: VerificationMethod.SMS, phoneNumber: '+64270000000' } }))
    const user = await client.getUser({ userId })
    t.equal(user.isEnrolled, true)
    t.equal(user.email, undefined)
    const attributes = { email: 'test@example.com', emailVerified: true, phoneNumber: '+6427123456', phoneNumberVerified: false, username: 'test@example.com', displayName: 'Test User', custom: { foo: 'bar' } }
    const updated = await client.updateUser({ userId, attributes })
    t.equal(updated.email, attributes.email)
    t.equal(updated.emailVerified, true)
    t.equal(updated.phoneNumber, attributes.phoneNumber)
    t.equal(updated.phoneNumberVerified, false)
    t.equal(updated.username, attributes.username)
    t.equal(updated.displayName, attributes.displayName)
    t.equal(updated.custom?.foo, 'bar')
    // What was stored is what getUser reads back.
    const read = await client.getUser({ userId })
    t.same([read.emailVerified, read.phoneNumberVerified, read.email], [true, false, attributes.email])
    await client.deleteUser({ userId })
    t.equal((await client.getUser({ userId })).isEnrolled, false)
  })

  await t.test('authenticator tests', async t => {
    const userId = randomUUID()
    t.ok(await client.enrollVerifiedAuthenticator({ userId, attributes: { verificationMethod: VerificationMethod.SMS, phoneNumber: '+64270000000' } }))
    const authenticators = await client.getAuthenticators({ userId })
    t.ok(authenticators.length > 0)
    t.equal(authenticators[0]?.verificationMethod, VerificationMethod.SMS)
    t.equal(authenticators[0]?.phoneNumber, '+64270000000')
    await client.deleteAuthenticator({ userId, userAuthenticatorId: authenticators[0]!.userAuthenticatorId })
    t.same(await client.getAuthenticators({ userId }), [])
  })

  await t.test('action tests', async t => {
    const userId = randomUUID()
    const action = 'Login'
    await client.enrollVerifiedAuthenticator({ userId, attributes: { verificationMethod: VerificationMethod.SMS, phoneNumber: '+64270000000' } })
    const tracked = await client.track({ userId, action })
    t.equal(tracked.state, UserActionState.CHALLENGE_REQUIRED)
    const validated = await client.validateChallenge({ token: tracked.token })
    t.equal(validated.action, action)
    t.equal(validated.userId, userId)
    t.equal(validated.state, UserActionState.CHALLENGE_REQUIRED)
    t.equal(validated.isValid, false)
    t.ok(await client.updateAction({ userId, action, idempotencyKey: tracked.idempotencyKey, attributes: { state: UserActionState.REVIEW_REQUIRED } }))
    t.equal((await client.getAction({ userId, action, idempotencyKey: tracked.idempotencyKey }))?.state, UserActionState.REVIEW_REQUIRED)
  })

  await t.test('invalid secret error', async t => {
    const invalid = new Authsignal({ apiSecretKey: 'invalid_secret', apiUrl: emulator.apiUrl, retries: 0 })
    const error = await invalid.getUser({ userId: randomUUID() }).then(() => null, (e: unknown) => e)
    t.ok(error instanceof AuthsignalError)
    const e = error as AuthsignalError
    t.equal(e.statusCode, 401)
    t.equal(e.errorCode, 'unauthorized')
    t.equal(e.errorDescription, UNAUTHORIZED)
    t.equal(e.message, `AuthsignalError: 401 - ${UNAUTHORIZED}`)
  })

  await t.test('test passkey authenticator', async t => {
    const userId = 'b60429a1-6288-43dc-80c0-6a3e73dd51b9'
    await googlePasskeyUser(emulator, userId)
    assertPasskeyAuthenticators(t, await client.getAuthenticators({ userId }))
  })
})

t.test('authsignal-python: client_tests.py, as its requests-based client sends them', async t => {
  const emulator = await startEmulator(t)
  const url = (path: string): string => `${emulator.apiUrl}${path}`
  // Python's session parses a body only when the content type is exactly application/json.
  const json = (t: Test, answer: Answer): any => { t.equal(answer.type, 'application/json', 'exactly application/json'); return answer.body }
  t.equal((await enrollSms(emulator, 'user123')).status, 200, 'user123 is enrolled, as on the suite\'s tenant')

  await t.test('test_actions: snake_case attribute keys are sent as they are, and accepted', async t => {
    const attributes = {
      redirect_url: 'http://localhost:3000', redirect_to_settings: true, email: 'not-a-real-email@authsignal.com', phone_number: '1234567890',
      ip_address: '127.0.0.1', user_agent: 'Authsignal-Python-SDK-Tests/1.0', device_id: 'device123', custom: { hello: 'world' }
    }
    const tracked = json(t, await call(url('/users/user123/actions/python-sdk-test'), 'POST', emulator.secret, attributes))
    t.equal(tracked.state, 'CHALLENGE_REQUIRED')
    t.ok(tracked.idempotencyKey)
    t.equal(tracked.isEnrolled, true)
    t.ok(tracked.url)
    t.ok(tracked.token)
    t.ok(tracked.allowedVerificationMethods.length > 0)
    const action = json(t, await call(url(`/users/user123/actions/python-sdk-test/${tracked.idempotencyKey as string}`), 'GET', emulator.secret))
    t.equal(action.state, 'CHALLENGE_REQUIRED')
    t.not(action.output, undefined)
    const updated = json(t, await call(url(`/users/user123/actions/python-sdk-test/${tracked.idempotencyKey as string}`), 'PATCH', emulator.secret, { state: 'BLOCK' }))
    t.equal(updated.state, 'BLOCK')
    // The unknown keys were ignored, the known ones kept.
    t.equal(emulator.ctx.store.users.get('user123')?.email, 'not-a-real-email@authsignal.com')
    t.equal(emulator.ctx.store.getAction('user123', 'python-sdk-test', tracked.idempotencyKey)?.redirectUrl, undefined, 'redirect_url is not redirectUrl')
  })

  await t.test('test_validate_challenge', async t => {
    const tracked = json(t, await call(url('/users/user123/actions/python-sdk-test'), 'POST', emulator.secret, { redirect_url: 'http://localhost:3000', device_id: 'device123' }))
    const validated = json(t, await call(url('/validate'), 'POST', emulator.secret, { token: tracked.token }))
    t.type(validated.isValid, 'boolean')
    t.equal(validated.state, 'CHALLENGE_REQUIRED')
    t.equal(validated.userId, 'user123')
    t.equal(validated.action, 'python-sdk-test')
    t.ok(validated.idempotencyKey)
  })

  await t.test('test_authenticators: email OTP enrolled on the user\'s behalf', async t => {
    const enrolled = json(t, await call(url('/users/user12345/authenticators'), 'POST', emulator.secret, { verificationMethod: 'EMAIL_OTP', email: 'not-a-real-email@authsignal.com' }))
    t.ok(enrolled.authenticator.userAuthenticatorId)
    t.equal(enrolled.authenticator.verificationMethod, 'EMAIL_OTP')
    t.equal(enrolled.authenticator.email, 'not-a-real-email@authsignal.com')
    t.equal(enrolled.authenticator.userId, 'user12345')
    const listed = json(t, await call(url('/users/user12345/authenticators'), 'GET', emulator.secret))
    t.ok(listed.length > 0)
    t.equal(listed[0].verificationMethod, 'EMAIL_OTP')
    t.equal(listed[0].email, 'not-a-real-email@authsignal.com')
    t.equal((await call(url(`/users/user12345/authenticators/${listed[0].userAuthenticatorId as string}`), 'DELETE', emulator.secret)).status, 200)
    const after = json(t, await call(url('/users/user12345/authenticators'), 'GET', emulator.secret))
    t.notOk(after.some((a: any) => a.userAuthenticatorId === listed[0].userAuthenticatorId))
  })

  await t.test('test_users and test_query_users', async t => {
    const updated = json(t, await call(url('/users/a-new-user'), 'PATCH', emulator.secret, { phoneNumber: '9876543210', displayName: 'A New User' }))
    t.same([updated.phoneNumber, updated.displayName], ['9876543210', 'A New User'])
    const user = json(t, await call(url('/users/a-new-user'), 'GET', emulator.secret))
    t.same([user.phoneNumber, user.displayName], ['9876543210', 'A New User'])
    t.equal((await call(url('/users/a-new-user'), 'DELETE', emulator.secret)).status, 200)
    t.equal(json(t, await call(url('/users/a-new-user'), 'GET', emulator.secret)).isEnrolled, false)

    await call(url('/users/query-test-user'), 'PATCH', emulator.secret, { email: 'query-test@authsignal.com', displayName: 'Query Test User' })
    const found = json(t, await call(url('/users?email=query-test%40authsignal.com'), 'GET', emulator.secret))
    t.equal(found.users[0]?.email, 'query-test@authsignal.com')
  })

  await t.test('test_get_action_with_bad_secret and test_track_without_attributes', async t => {
    const refused = await call(url('/users/test-user/actions/python-sdk-test/test-key'), 'GET', 'bad-secret')
    t.equal(refused.status, 401)
    t.same(json(t, refused), { error: 'unauthorized', errorCode: 'unauthorized', errorDescription: UNAUTHORIZED })
    const tracked = json(t, await call(url('/users/user123/actions/python-sdk-test'), 'POST', emulator.secret, '{}'))
    t.equal(tracked.state, 'CHALLENGE_REQUIRED')
    t.ok(tracked.idempotencyKey)
    t.ok(tracked.token)
  })
})

t.test('authsignalgo: actions, authenticators and users tests, as Go marshals them', async t => {
  const emulator = await startEmulator(t)
  const url = (path: string): string => `${emulator.apiUrl}${path}`
  await enrollSms(emulator, 'user123')

  await t.test('TestActions: redirectToSettings set, then left null (no omitempty on it)', async t => {
    const attributes = {
      redirectUrl: 'http://localhost:3000', redirectToSettings: true, email: 'not-a-real-email@authsignal.com', phoneNumber: '1234567890',
      ipAddress: '127.0.0.1', userAgent: 'Authsignal-Go-SDK-Tests/1.0', deviceId: 'device123', custom: { hello: 'world' }
    }
    const tracked = (await call(url('/users/user123/actions/go-sdk-test'), 'POST', emulator.secret, attributes)).body
    t.equal(tracked.state, 'CHALLENGE_REQUIRED')
    t.ok(tracked.idempotencyKey)
    t.equal(tracked.isEnrolled, true)
    t.ok(tracked.url)
    t.ok(tracked.token)
    t.ok(tracked.allowedVerificationMethods.length > 0)
    const action = (await call(url(`/users/user123/actions/go-sdk-test/${tracked.idempotencyKey as string}`), 'GET', emulator.secret)).body
    t.equal(action.state, 'CHALLENGE_REQUIRED')
    t.not(action.output, undefined)
    t.equal((await call(url(`/users/user123/actions/go-sdk-test/${tracked.idempotencyKey as string}`), 'PATCH', emulator.secret, { state: 'BLOCK' })).body.state, 'BLOCK')

    // A TrackAttributes with RedirectToSettings unset marshals to null.
    const unset = await call(url('/users/user123/actions/go-sdk-test'), 'POST', emulator.secret, '{"redirectToSettings":null,"custom":{"hello":"world"}}')
    t.equal(unset.status, 200)
    t.equal(unset.body.state, 'CHALLENGE_REQUIRED')
  })

  await t.test('TestValidateChallenge: token, userId and action', async t => {
    const tracked = (await call(url('/users/user123/actions/go-sdk-test'), 'POST', emulator.secret, { redirectUrl: 'http://localhost:3000', redirectToSettings: true })).body
    const validated = (await call(url('/validate'), 'POST', emulator.secret, { token: tracked.token, userId: 'user123', action: 'go-sdk-test' })).body
    t.type(validated.isValid, 'boolean', 'isValid is set')
    t.equal(validated.state, 'CHALLENGE_REQUIRED')
    t.equal(validated.userId, 'user123')
    t.equal(validated.action, 'go-sdk-test')
    t.ok(validated.idempotencyKey)
  })

  await t.test('TestGetActionWithBadSecret: an unrouted path (empty idempotency key) is still a 401 first', async t => {
    const refused = await call(url('/users/test-user/actions/go-sdk-test/'), 'GET', 'bad-secret')
    t.equal(refused.status, 401)
    t.same(refused.body, { error: 'unauthorized', errorCode: 'unauthorized', errorDescription: UNAUTHORIZED })
    // With the right secret, the same path is a 404 with an error body.
    const missing = await call(url('/users/test-user/actions/go-sdk-test/'), 'GET', emulator.secret)
    t.equal(missing.status, 404)
    t.equal(missing.body.errorCode, 'not_found')
    for (const [method, path] of [['PUT', '/users/x'], ['GET', '/no/such/route'], ['DELETE', '/validate']]) {
      t.equal((await call(url(path!), method!, 'bad-secret')).status, 401, `${method!} ${path!} with a bad secret`)
    }
  })

  await t.test('TestTrackWithoutAttributes and TestAuthenticators', async t => {
    const tracked = (await call(url('/users/user123/actions/go-sdk-test'), 'POST', emulator.secret, '{}')).body
    t.same([tracked.state, typeof tracked.idempotencyKey, typeof tracked.token], ['CHALLENGE_REQUIRED', 'string', 'string'])
    const enrolled = (await call(url('/users/user12345/authenticators'), 'POST', emulator.secret, { verificationMethod: 'EMAIL_OTP', email: 'not-a-real-email@authsignal.com' })).body
    t.ok(enrolled.authenticator.userAuthenticatorId)
    t.same([enrolled.authenticator.verificationMethod, enrolled.authenticator.email, enrolled.authenticator.userId], ['EMAIL_OTP', 'not-a-real-email@authsignal.com', 'user12345'])
    const listed = (await call(url('/users/user12345/authenticators'), 'GET', emulator.secret)).body
    t.same([listed[0].verificationMethod, listed[0].email], ['EMAIL_OTP', 'not-a-real-email@authsignal.com'])
    await call(url(`/users/user12345/authenticators/${listed[0].userAuthenticatorId as string}`), 'DELETE', emulator.secret)
    t.same((await call(url('/users/user12345/authenticators'), 'GET', emulator.secret)).body, [])
  })

  await t.test('TestUsers and TestQueryUsers', async t => {
    const updated = (await call(url('/users/a-new-user'), 'PATCH', emulator.secret, { phoneNumber: '9876543210', displayName: 'A New User' })).body
    t.same([updated.phoneNumber, updated.displayName], ['9876543210', 'A New User'])
    await call(url('/users/a-new-user'), 'DELETE', emulator.secret)
    t.equal((await call(url('/users/a-new-user'), 'GET', emulator.secret)).body.isEnrolled, false)
    await call(url('/users/query-test-user-go'), 'PATCH', emulator.secret, { email: 'query-test-go@authsignal.com', displayName: 'Query Test User Go' })
    const found = (await call(url('/users?email=query-test-go%40authsignal.com'), 'GET', emulator.secret)).body
    t.ok(found.users.some((u: any) => u.email === 'query-test-go@authsignal.com'))
  })
})

t.test('authsignal-ruby: authsignal_spec.rb, through Faraday with camelCased keys and POST for updates', async t => {
  const emulator = await startEmulator(t)
  // Faraday's url_prefix plus a relative path: `<api_url>/users/…`.
  const url = (path: string): string => `${emulator.apiUrl}/${path}`

  await t.test('user tests: update user is POST /users/{id}', async t => {
    const userId = randomUUID()
    t.equal((await call(url(`users/${userId}/authenticators`), 'POST', emulator.secret, { verificationMethod: 'SMS', phoneNumber: '+6427000000' })).status, 200)
    const user = (await call(url(`users/${userId}`), 'GET', emulator.secret)).body
    t.equal(user.isEnrolled, true)
    t.equal(user.email, undefined)
    const attributes = { email: 'test@example.com', phoneNumber: '+6427123456', username: 'test@example.com', displayName: 'Test User', custom: { foo: 'bar' } }
    const updated = await call(url(`users/${userId}`), 'POST', emulator.secret, attributes)
    t.equal(updated.status, 200)
    t.same([updated.body.email, updated.body.phoneNumber, updated.body.username, updated.body.displayName, updated.body.custom?.foo],
      [attributes.email, attributes.phoneNumber, attributes.username, attributes.displayName, 'bar'])
    await call(url(`users/${userId}`), 'DELETE', emulator.secret)
    t.equal((await call(url(`users/${userId}`), 'GET', emulator.secret)).body.isEnrolled, false)
  })

  await t.test('action tests: validate as Ruby 2.x sent it, with null userId and action', async t => {
    const userId = randomUUID()
    await call(url(`users/${userId}/authenticators`), 'POST', emulator.secret, { verificationMethod: 'SMS', phoneNumber: '+6427000000' })
    const tracked = (await call(url(`users/${userId}/actions/Login`), 'POST', emulator.secret, { idempotencyKey: randomUUID() })).body
    t.equal(tracked.state, 'CHALLENGE_REQUIRED')
    for (const body of [{ token: tracked.token }, { userId: null, token: tracked.token, action: null }]) {
      const validated = await call(url('validate'), 'POST', emulator.secret, body)
      t.equal(validated.status, 200, JSON.stringify(Object.keys(body)))
      t.same([validated.body.action, validated.body.userId, validated.body.state, validated.body.isValid], ['Login', userId, 'CHALLENGE_REQUIRED', false])
    }
    t.ok((await call(url(`users/${encodeURIComponent(userId)}/actions/Login/${encodeURIComponent(tracked.idempotencyKey as string)}`), 'PATCH', emulator.secret, { state: 'REVIEW_REQUIRED' })).body)
    t.equal((await call(url(`users/${userId}/actions/Login/${tracked.idempotencyKey as string}`), 'GET', emulator.secret)).body.state, 'REVIEW_REQUIRED')
  })

  await t.test('authenticator tests, invalid secret error and passkey authenticator', async t => {
    const userId = randomUUID()
    await call(url(`users/${userId}/authenticators`), 'POST', emulator.secret, { verificationMethod: 'SMS', phoneNumber: '+6427000000' })
    const listed = (await call(url(`users/${userId}/authenticators`), 'GET', emulator.secret)).body
    t.equal(listed[0].verificationMethod, 'SMS')
    await call(url(`users/${userId}/authenticators/${listed[0].userAuthenticatorId as string}`), 'DELETE', emulator.secret)
    t.same((await call(url(`users/${userId}/authenticators`), 'GET', emulator.secret)).body, [])
    const refused = await call(url(`users/${randomUUID()}`), 'GET', 'invalid_secret')
    t.same([refused.status, refused.body.error, refused.body.errorDescription], [401, 'unauthorized', UNAUTHORIZED])
    await googlePasskeyUser(emulator, 'b60429a1-6288-43dc-80c0-6a3e73dd51b9')
    assertPasskeyAuthenticators(t, (await call(url('users/b60429a1-6288-43dc-80c0-6a3e73dd51b9/authenticators'), 'GET', emulator.secret)).body)
  })
})

t.test('authsignal-java: AuthsignalClientTests, as Gson serialises them (POST for updates, actionCode read back)', async t => {
  const emulator = await startEmulator(t)
  const url = (path: string): string => `${emulator.apiUrl}${path}`

  await t.test('testUser: custom data with numbers', async t => {
    const userId = randomUUID()
    await call(url(`/users/${userId}/authenticators`), 'POST', emulator.secret, { verificationMethod: 'SMS', phoneNumber: '+6427000000' })
    const user = (await call(url(`/users/${userId}`), 'GET', emulator.secret)).body
    t.same([user.isEnrolled, user.email], [true, undefined])
    const attributes = { email: 'test@example.com', phoneNumber: '+6427123456', username: 'Test User', displayName: 'test@example.com', custom: { foo: 'bar', baz: 1 } }
    const updated = (await call(url(`/users/${userId}`), 'POST', emulator.secret, attributes)).body
    t.same([updated.email, updated.phoneNumber, updated.username, updated.displayName, updated.custom], [attributes.email, attributes.phoneNumber, attributes.username, attributes.displayName, { foo: 'bar', baz: 1 }])
    await call(url(`/users/${userId}`), 'DELETE', emulator.secret)
    t.equal((await call(url(`/users/${userId}`), 'GET', emulator.secret)).body.isEnrolled, false)
  })

  await t.test('testAction: validate answers actionCode, which Java maps to action', async t => {
    const userId = randomUUID()
    await call(url(`/users/${userId}/authenticators`), 'POST', emulator.secret, { verificationMethod: 'SMS', phoneNumber: '+6427000000' })
    const tracked = (await call(url(`/users/${userId}/actions/signIn`), 'POST', emulator.secret, { custom: { foo: 'bar', baz: 1 } })).body
    t.equal(tracked.state, 'CHALLENGE_REQUIRED')
    const validated = (await call(url('/validate'), 'POST', emulator.secret, { token: tracked.token })).body
    t.same([validated.state, validated.idempotencyKey, validated.userId, validated.actionCode], ['CHALLENGE_REQUIRED', tracked.idempotencyKey, userId, 'signIn'])
    const updated = (await call(url(`/users/${userId}/actions/signIn/${tracked.idempotencyKey as string}`), 'PATCH', emulator.secret, { state: 'REVIEW_REQUIRED' })).body
    t.equal(updated.state, 'REVIEW_REQUIRED')
  })

  await t.test('testQueryUsers and testQueryUserActions', async t => {
    const userId = randomUUID()
    const email = `test-${randomUUID()}@example.com`
    await call(url(`/users/${userId}`), 'POST', emulator.secret, { email })
    const found = (await call(url(`/users?email=${encodeURIComponent(email)}`), 'GET', emulator.secret)).body
    t.same([found.users[0]?.userId, found.users[0]?.email], [userId, email])
    t.ok((await call(url(`/users?email=${encodeURIComponent(email)}&limit=1`), 'GET', emulator.secret)).body.users.length <= 1)

    const actor = randomUUID()
    await call(url(`/users/${actor}/authenticators`), 'POST', emulator.secret, { verificationMethod: 'SMS', phoneNumber: '+6427000000' })
    await call(url(`/users/${actor}/actions/signIn`), 'POST', emulator.secret, {})
    const actions = (await call(url(`/users/${actor}/actions`), 'GET', emulator.secret)).body
    t.equal(actions[0]?.actionCode, 'signIn')
    t.ok(actions[0]?.idempotencyKey)
    t.ok(actions[0]?.createdAt)
    t.ok(actions[0]?.state)
    t.ok((await call(url(`/users/${actor}/actions?codes=signIn`), 'GET', emulator.secret)).body.every((a: any) => a.actionCode === 'signIn'))
    const challenged = (await call(url(`/users/${actor}/actions?state=CHALLENGE_REQUIRED`), 'GET', emulator.secret)).body
    t.equal(challenged[0]?.state, 'CHALLENGE_REQUIRED')
  })

  await t.test('testInvalidApiSecretKey and testPasskeyAuthenticator', async t => {
    const refused = await call(url(`/users/${randomUUID()}`), 'GET', 'invalid_secret')
    t.same([refused.status, refused.body.error, refused.body.errorDescription], [401, 'unauthorized', UNAUTHORIZED])
    await googlePasskeyUser(emulator, 'b60429a1-6288-43dc-80c0-6a3e73dd51b9')
    assertPasskeyAuthenticators(t, (await call(url('/users/b60429a1-6288-43dc-80c0-6a3e73dd51b9/authenticators'), 'GET', emulator.secret)).body)
  })
})

t.test('authsignal-dotnet: ClientTests, with the base URL ending in a slash', async t => {
  const emulator = await startEmulator(t)
  // The SDK appends "/" to the base URL and joins relative paths; a base configured with "/" twice
  // (`…/v1//users`) answers the same.
  for (const base of [`${emulator.apiUrl}/`, `${emulator.apiUrl}//`]) {
    await t.test(`TestUser, TestAuthenticator, TestAction at ${base.slice(emulator.origin.length)}`, async t => {
      const url = (path: string): string => `${base}${path}`
      const userId = randomUUID()
      t.equal((await call(url(`users/${userId}/authenticators`), 'POST', emulator.secret, { verificationMethod: 'SMS', phoneNumber: '+64270000000' })).status, 200)
      t.same([(await call(url(`users/${userId}`), 'GET', emulator.secret)).body.isEnrolled], [true])
      const custom = { foo: 'bar', baz: true, qux: 123 }
      const updated = (await call(url(`users/${userId}`), 'PATCH', emulator.secret, { email: 'test@example.com', phoneNumber: '+6427123456', username: 'test@example.com', displayName: 'Test User', custom })).body
      t.same([updated.email, updated.displayName, updated.custom], ['test@example.com', 'Test User', custom])
      const [authenticator] = (await call(url(`users/${userId}/authenticators`), 'GET', emulator.secret)).body
      t.equal(authenticator.verificationMethod, 'SMS')
      const tracked = (await call(url(`users/${userId}/actions/Login`), 'POST', emulator.secret, {})).body
      t.equal(tracked.state, 'CHALLENGE_REQUIRED')
      const validated = (await call(url('validate'), 'POST', emulator.secret, { token: tracked.token })).body
      t.same([validated.actionCode, validated.userId, validated.state, validated.isValid], ['Login', userId, 'CHALLENGE_REQUIRED', false])
      await call(url(`users/${userId}/actions/Login/${tracked.idempotencyKey as string}`), 'PATCH', emulator.secret, { state: 'REVIEW_REQUIRED' })
      t.equal((await call(url(`users/${userId}/actions/Login/${tracked.idempotencyKey as string}`), 'GET', emulator.secret)).body.state, 'REVIEW_REQUIRED')
      await call(url(`users/${userId}/authenticators/${authenticator.userAuthenticatorId as string}`), 'DELETE', emulator.secret)
      t.same((await call(url(`users/${userId}/authenticators`), 'GET', emulator.secret)).body, [])
      await call(url(`users/${userId}`), 'DELETE', emulator.secret)
      t.equal((await call(url(`users/${userId}`), 'GET', emulator.secret)).body.isEnrolled, false)
    })
  }
  await t.test('BatchEnrollVerifiedAuthenticators is refused in words, and never updates a user named "authenticators"', async t => {
    const batch = await call(`${emulator.apiUrl}/users/authenticators`, 'POST', emulator.secret, { authenticators: [] })
    t.equal(batch.status, 404)
    t.equal(batch.body.errorCode, 'not_found')
    t.match(batch.body.errorDescription, 'not emulated')
    t.notOk(emulator.ctx.store.users.has('authenticators'))
  })
})

t.test('enrolling a verified authenticator: what is enrolled, and what is refused without a change', async t => {
  const emulator = await startEmulator(t)
  const url = `${emulator.apiUrl}/users/carol/authenticators`
  const app = await call(url, 'POST', emulator.secret, { verificationMethod: 'AUTHENTICATOR_APP', otpUri: 'otpauth://totp/Demo:carol?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Demo', isDefault: true })
  t.equal(app.status, 200)
  t.equal(app.body.authenticator.verificationMethod, 'AUTHENTICATOR_APP')
  t.type(app.body.authenticator.verifiedAt, 'string')
  t.equal(emulator.ctx.store.authenticatorsOf('carol')[0]?.totp?.secret, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')
  // The deprecated oobChannel still names the method.
  t.equal((await call(url, 'POST', emulator.secret, { oobChannel: 'EMAIL_OTP', email: 'carol@example.com' })).body.authenticator.verificationMethod, 'EMAIL_OTP')
  const user = (await call(`${emulator.apiUrl}/users/carol`, 'GET', emulator.secret)).body
  t.same(user.enrolledVerificationMethods, ['AUTHENTICATOR_APP', 'EMAIL_OTP'])
  t.equal(user.defaultVerificationMethod, 'AUTHENTICATOR_APP', 'isDefault chose it')

  const before = emulator.ctx.store.authenticators.size
  const refusals: Array<[unknown, string]> = [
    [{}, 'verificationMethod is required'],
    [{ verificationMethod: 'SMS' }, 'phoneNumber'],
    [{ verificationMethod: 'SMS', phoneNumber: '0270000000' }, 'phoneNumber'],
    [{ verificationMethod: 'EMAIL_OTP' }, 'email is required'],
    [{ verificationMethod: 'EMAIL_OTP', email: 'not-an-email' }, 'email'],
    [{ verificationMethod: 'AUTHENTICATOR_APP', otpUri: 'https://example.com/?secret=JBSWY3DPEHPK3PXP' }, 'otpUri'],
    [{ verificationMethod: 'AUTHENTICATOR_APP', otpUri: 'otpauth://totp/x?secret=not-base32!' }, 'otpUri'],
    [{ verificationMethod: 'PASSKEY', credentialId: 'abc', publicKey: 'def' }, 'not emulated'],
    [{ verificationMethod: 'WHATSAPP', phoneNumber: '+64270000000' }, 'not emulated'],
    [{ verificationMethod: 'SMS', phoneNumber: '+64270000000', color: 'blue' }, 'Invalid request']
  ]
  for (const [body, words] of refusals) {
    const refused = await call(url, 'POST', emulator.secret, body)
    t.equal(refused.status, 400, JSON.stringify(body))
    t.equal(refused.body.errorCode, 'invalid_request')
    t.match(refused.body.errorDescription, words)
  }
  t.equal(emulator.ctx.store.authenticators.size, before, 'nothing was enrolled by a refused request')
})
