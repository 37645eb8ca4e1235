// The elements' pure helpers, without a browser: URL checks for attributes, the mapping of SDK outcomes
// to `passkey-error` codes, the enrollment-token request (against a real HTTP server; Node has fetch),
// the Client API requests (against the SDK's own API client) and the build's rewrite of the SDK.
import t, { type Test } from 'tap'
import Fastify from 'fastify'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { AUTHSIGNAL_PASSKEY_MODULE, REGISTRATION_CODE, REWRITES, UNUSED_CODE, exposePasskeyClient } from '../components/build/authsignal-passkey.js'
import { minifyCss, minifyCssTemplates } from '../components/build/minify-css.js'
import { authenticationOptions, challenge, verify } from '../components/src/internal/authsignal-api.js'
import { addAuthenticator, registrationOptions } from '../components/src/internal/authsignal-enroll.js'
import { deviceId, uuidV4 } from '../components/src/internal/device-id.js'
import { fromApiError, fromThrown } from '../components/src/internal/error-codes.js'
import { fetchEnrollmentToken, lifetime, refreshDelay, sameOriginUrl, usable } from '../components/src/internal/enrollment-token.js'
import { isHttpUrl } from '../components/src/internal/urls.js'
import { freePort } from './fixtures/emulator.js'

const BASE = 'http://localhost:5002/passkeys'

/** The SDK's own file, unchanged but for an export of the internals the elements restate (it exports only `Authsignal`). */
async function sdkInternals (t: Test): Promise<any> {
  const sdkFile = createRequire(import.meta.url).resolve('@authsignal/browser')
  const dir = mkdtempSync(join(tmpdir(), 'authsignal-sdk-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  writeFileSync(join(dir, 'sdk.mjs'), `${readFileSync(sdkFile, 'utf8')}\nexport { PasskeyApiClient, getCookie, setCookie, getCookieDomain, v4, identifyAuthenticationError };\n`)
  return await import(pathToFileURL(join(dir, 'sdk.mjs')).href)
}

t.test('isHttpUrl lets only http(s) URLs become links and navigations', async t => {
  for (const ok of ['https://idp.example/login', 'http://localhost:5001/x', '/login?reauth=1', 'passkeys/done']) {
    t.equal(isHttpUrl(ok, BASE), true, ok)
  }
  for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:x', 'blob:http://x/1', '', null, undefined, 'http://[::1']) {
    t.equal(isHttpUrl(bad, BASE), false, String(bad))
  }
  t.equal(isHttpUrl('/relative'), false, 'without a base, only absolute URLs')
})

t.test('sameOriginUrl resolves token-url and refuses other origins', async t => {
  const origin = 'http://localhost:5002'
  t.equal(sameOriginUrl('/passkeys/enrollment-token', BASE, origin), 'http://localhost:5002/passkeys/enrollment-token')
  t.equal(sameOriginUrl('http://localhost:5002/t', BASE, origin), 'http://localhost:5002/t')
  for (const bad of ['http://127.0.0.1:5002/t', '//evil.example/t', 'https://localhost:5002/t', 'http://localhost:5001/t', 'javascript:fetch(1)', '']) {
    t.equal(sameOriginUrl(bad, BASE, origin), undefined, bad)
  }
})

t.test('WebAuthn and fetch exceptions map to passkey-error codes', async t => {
  const webauthn = (name: string, message = 'x'): Error => new DOMException(message, name)
  const cases: Array<[unknown, string]> = [
    [webauthn('NotAllowedError', 'The operation either timed out or was not allowed.'), 'cancelled'],
    [webauthn('AbortError'), 'cancelled'],
    [webauthn('InvalidStateError'), 'already-registered'],
    [webauthn('SecurityError'), 'not-allowed'],
    [webauthn('ConstraintError'), 'unsupported'],
    [webauthn('NotSupportedError'), 'unsupported'],
    [webauthn('UnknownError', 'The operation is not supported.'), 'unknown'],
    [new TypeError('Failed to fetch'), 'network'],
    [new SyntaxError('Unexpected token < in JSON'), 'network'],
    [new Error('WebAuthn is not supported in this browser'), 'unsupported'],
    [new Error('Browser does not support WebAuthn autofill'), 'unsupported'],
    [new Error('No <input> with "webauthn" as the only or last value in its `autocomplete` attribute was detected'), 'unsupported'],
    [new Error('boom'), 'unknown'],
    ['a string', 'unknown']
  ]
  for (const [error, code] of cases) {
    const result = fromThrown(error)
    t.equal(result.code, code, `${(error as Error).name ?? ''} ${(error as Error).message ?? error}`)
    t.equal(result.ok, false)
  }
  // SimpleWebAuthn wraps DOMExceptions in WebAuthnError, keeping the name.
  const wrapped = Object.assign(new Error('The authenticator was previously registered'), { name: 'InvalidStateError', code: 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' })
  t.equal(fromThrown(wrapped).code, 'already-registered')
})

t.test("Authsignal's answered error codes map to passkey-error codes", async t => {
  const cases: Array<[string | undefined, string]> = [
    ['expired_token', 'expired'],
    ['invalid_token', 'expired'],
    ['network_error', 'network'],
    ['invalid_credential', 'not-allowed'],
    ['challenge_failed', 'not-allowed'],
    ['too_many_requests', 'unknown'],
    ['unexpected_error', 'unknown'],
    [undefined, 'unknown']
  ]
  for (const [errorCode, code] of cases) t.equal(fromApiError(errorCode).code, code, String(errorCode))
})

t.test('fetchEnrollmentToken: POSTs {} as JSON and reads the answers of the contract', async t => {
  const app = Fastify()
  t.teardown(() => app.close())
  let answer: { status: number, body: unknown, raw?: string } = { status: 200, body: {} }
  const seen: Array<{ method: string, contentType?: string, body: unknown }> = []
  app.post('/token', async (request, reply) => {
    seen.push({ method: request.method, contentType: request.headers['content-type'], body: request.body })
    if (answer.raw != null) return await reply.code(answer.status).type('text/html').send(answer.raw)
    return await reply.code(answer.status).send(answer.body)
  })
  const port = await freePort()
  await app.listen({ port, host: 'localhost' })
  const url = `http://localhost:${port}/token`

  const expiresAt = new Date(Date.now() + 600_000).toISOString()
  answer = { status: 200, body: { token: 'tok.en.value', expiresAt } }
  const ok = await fetchEnrollmentToken(url)
  t.same(seen[0], { method: 'POST', contentType: 'application/json', body: {} })
  t.equal(ok.ok, true)
  if (ok.ok) {
    t.equal(ok.grant.token, 'tok.en.value')
    const remaining = ok.grant.expiresAt - Date.now()
    t.ok(remaining > 597_000 && remaining <= 600_000, `expiry measured against the server's clock, a second taken off (${remaining} ms)`)
  }

  answer = { status: 401, body: { error: 'reauthentication_required', message: 'Sign in again.' } }
  t.match(await fetchEnrollmentToken(url), { ok: false, code: 'reauthentication-required' })
  answer = { status: 401, body: { error: 'unauthorized' } }
  t.match(await fetchEnrollmentToken(url), { ok: false, code: 'unknown' })
  answer = { status: 503, body: { error: 'unavailable' } }
  t.match(await fetchEnrollmentToken(url), { ok: false, code: 'network' })
  answer = { status: 200, body: undefined, raw: '<html>login</html>' }
  t.match(await fetchEnrollmentToken(url), { ok: false, code: 'unknown', reason: /not \{ token, expiresAt \}/ })
  answer = { status: 200, body: { token: 'x' } }
  t.match(await fetchEnrollmentToken(url), { ok: false, code: 'unknown' })
  answer = { status: 200, body: { token: 'x', expiresAt: 'not a date' } }
  t.match(await fetchEnrollmentToken(url), { ok: false, code: 'unknown', reason: /not a date/ })
  answer = { status: 200, body: { token: 'x'.repeat(9000), expiresAt } }
  t.match(await fetchEnrollmentToken(url), { ok: false, code: 'unknown' }, 'an oversized token is refused')
  answer = { status: 200, body: [{ token: 'x', expiresAt }] }
  t.match(await fetchEnrollmentToken(url), { ok: false, code: 'unknown' })

  await app.close()
  t.match(await fetchEnrollmentToken(url), { ok: false, code: 'network' }, 'connection refused')
})

t.test("the Client API requests are the SDK's PasskeyApiClient's, byte for byte, and so are the answers read", async t => {
  const { PasskeyApiClient } = await sdkInternals(t)

  const sent: Array<[unknown, RequestInit | undefined]> = []
  let answer = ''
  const originalFetch = globalThis.fetch
  const global = globalThis as { window?: unknown }
  const hadWindow = 'window' in global
  globalThis.fetch = async (url, init) => {
    sent.push([url, init])
    return new Response(answer, { status: 200, headers: { 'content-type': 'application/json' } })
  }
  global.window ??= globalThis // the SDK calls window.btoa
  t.teardown(() => {
    globalThis.fetch = originalFetch
    if (!hadWindow) delete global.window
  })

  const api = { tenantId: 'tenant-é 1', baseUrl: 'https://api.authsignal.example/v1' }
  const sdk = new PasskeyApiClient(api)
  const authenticationCredential = {
    id: 'Y3JlZA', rawId: 'Y3JlZA', type: 'public-key' as const, clientExtensionResults: {}, authenticatorAttachment: 'platform' as const,
    response: { authenticatorData: 'YXV0aA', clientDataJSON: 'Y2xpZW50', signature: 'c2ln', userHandle: 'dXNlcg' }
  }
  const registrationCredential = {
    id: 'Y3JlZA', rawId: 'Y3JlZA', type: 'public-key' as const, clientExtensionResults: {}, authenticatorAttachment: 'platform' as const,
    response: { attestationObject: 'YXR0', clientDataJSON: 'Y2xpZW50', transports: ['internal' as const], publicKeyAlgorithm: -7, publicKey: 'cGs', authenticatorData: 'YXV0aA' }
  }
  // Each request as the elements made it through the SDK's client, and as they make it now.
  const calls: Array<[string, () => Promise<unknown>, () => Promise<unknown>]> = [
    ['challenge', async () => await sdk.challenge({ action: 'signInWithPasskey' }), async () => await challenge(api, 'signInWithPasskey')],
    ['authenticationOptions', async () => await sdk.authenticationOptions({ challengeId: 'ch-1' }), async () => await authenticationOptions(api, 'ch-1')],
    ['verify', async () => await sdk.verify({ authenticationCredential, deviceId: 'f6a1c7e2-5b1d-4c8e-9f3a-2d7b8e9c0a1b', challengeId: 'ch-1' }),
      async () => await verify(api, authenticationCredential, 'f6a1c7e2-5b1d-4c8e-9f3a-2d7b8e9c0a1b', 'ch-1')],
    ['registrationOptions', async () => await sdk.registrationOptions({ token: 'en.rol.ment', authenticatorAttachment: 'platform' }), async () => await registrationOptions(api, 'en.rol.ment')],
    ['addAuthenticator', async () => await sdk.addAuthenticator({ registrationCredential, token: 'en.rol.ment', conditionalCreate: false, challengeId: 'ch-2' }),
      async () => await addAuthenticator(api, 'en.rol.ment', registrationCredential, 'ch-2')]
  ]
  const outcome = async (call: () => Promise<unknown>): Promise<unknown> => await call().then(value => ({ value }), (error: Error) => ({ thrown: error.name }))
  for (const [name, theirs, ours] of calls) {
    for (const body of ['{"challengeId":"ch-1","options":{"challenge":"abc"}}', '{"error":"invalid_token","errorCode":"expired_token"}', '<html>not JSON</html>']) {
      answer = body
      sent.length = 0
      const expected = await outcome(theirs)
      const actual = await outcome(ours)
      t.same(actual, expected, `${name}, answered ${body}: the same answer read`)
      t.equal(sent.length, 2, `${name}: one request each`)
      // Serialised, so the order of keys (the headers' included) counts too.
      t.equal(JSON.stringify(sent[1]), JSON.stringify(sent[0]), `${name}: the same URL, method, headers, body and credentials`)
    }
    t.match(sent[0]?.[0], /^https:\/\/api\.authsignal\.example\/v1\/client\//, `${name}: the check compares real requests`)
  }
})

t.test("the device id is the SDK's: the same __as_aid cookie read and written, a UUID made the same way", async t => {
  const sdk = await sdkInternals(t)
  const global = globalThis as { document?: unknown }
  t.teardown(() => { delete global.document })
  // What the elements did with the SDK's helpers (as its `Authsignal` constructor does).
  const theirs = (): string => {
    const existing = sdk.getCookie('__as_aid')
    if (existing != null && existing !== '') return existing
    const id = sdk.v4()
    sdk.setCookie({ name: '__as_aid', value: id, expire: Infinity, domain: sdk.getCookieDomain(), secure: (global.document as Document).location.protocol !== 'http:' })
    return id
  }
  const outcome = (make: () => string, cookie: string, hostname: string, protocol: string): { id?: string, cookie: string, thrown?: string } => {
    const document = { cookie, location: { hostname, protocol } }
    global.document = document
    try {
      const id = make()
      return { id, cookie: document.cookie }
    } catch (error) {
      return { cookie: document.cookie, thrown: (error as Error).name }
    }
  }
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
  const cookies = ['', 'a=b', '__as_aid=abc', 'x=1; __as_aid=d%20e; y=2', '__as_aid=; z=1', 'my__as_aid=zz', 'x=1;__as_aid = spaced ; q=1',
    '__as_aid=first; __as_aid=second', '__as_aid=%E0%A4%A', '_as_aid=1; __as_aidx=2']
  const places = [['www.example.com', 'https:'], ['localhost', 'http:'], ['app.www.example.com', 'https:'], ['', 'file:'], ['127.0.0.1', 'http:']]
  for (const cookie of cookies) {
    for (const [hostname, protocol] of places) {
      const expected = outcome(theirs, cookie, hostname!, protocol!)
      const actual = outcome(deviceId, cookie, hostname!, protocol!)
      const label = `cookie ${JSON.stringify(cookie)} on ${protocol}//${hostname}`
      if (expected.id != null && expected.cookie !== cookie) {
        // A new id: random, so compared by shape, and the cookie written with it.
        t.match(actual.id, UUID, `${label}: a new UUID`)
        t.equal(actual.cookie.replace(actual.id!, 'ID'), expected.cookie.replace(expected.id, 'ID'), `${label}: the same cookie written`)
      } else {
        t.same(actual, expected, `${label}: the same id read (or the same error)`)
      }
    }
  }

  // Without crypto.randomUUID (insecure contexts), the same UUID as uuid's v4 from the same random bytes.
  t.match(uuidV4(), UUID)
  for (const bytes of [new Uint8Array(16), new Uint8Array(16).fill(255), Uint8Array.from({ length: 16 }, (_, i) => i * 17 + 3)]) {
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true })
    Object.defineProperty(crypto, 'getRandomValues', { value: (array: Uint8Array) => { array.set(bytes); return array }, configurable: true })
    let ours: string
    try {
      ours = uuidV4()
    } finally {
      delete (crypto as { randomUUID?: unknown }).randomUUID
      delete (crypto as { getRandomValues?: unknown }).getRandomValues
    }
    t.equal(ours, sdk.v4({ random: Uint8Array.from(bytes) }), `random bytes ${Buffer.from(bytes).toString('hex')}`)
    t.match(ours, UUID)
  }
  t.equal(typeof crypto.randomUUID, 'function', 'crypto restored')
})

t.test("a sign-in's WebAuthn errors mean the same without SimpleWebAuthn's identifyAuthenticationError, which the build cuts", async t => {
  const sdk = await sdkInternals(t)
  const global = globalThis as { location?: unknown }
  const hadLocation = 'location' in global
  t.teardown(() => { if (!hadLocation) delete global.location })
  const names = ['AbortError', 'NotAllowedError', 'SecurityError', 'UnknownError', 'InvalidStateError', 'NotSupportedError', 'ConstraintError', 'TimeoutError', 'EncodingError', 'OperationError']
  const errors: unknown[] = [
    ...names.flatMap(name => [new DOMException('The operation failed.', name), new DOMException('The operation is not supported.', name), new DOMException('', name)]),
    new TypeError('Failed to fetch'), new Error('boom'), new Error('not supported'), 'a string'
  ]
  const optionsSeen = [
    { publicKey: { rpId: 'login.example.com' }, signal: new AbortController().signal, mediation: 'conditional' },
    { publicKey: { rpId: 'example.com' }, signal: new AbortController().signal },
    { publicKey: {} }
  ]
  let compared = 0
  for (const hostname of ['login.example.com', 'localhost', '127.0.0.1', 'bad_host']) {
    global.location = { hostname }
    for (const options of optionsSeen) {
      for (const error of errors) {
        const wrapped = sdk.identifyAuthenticationError({ error, options })
        t.equal(fromThrown(error).code, fromThrown(wrapped).code, `${(error as Error).name ?? error}: ${(error as Error).message ?? ''} on ${hostname}, rpId ${options.publicKey.rpId}`)
        if (wrapped !== error) compared++
      }
    }
  }
  t.ok(compared > 50, `the SDK wrapped many of them (${compared}): the comparison is not empty`)
})

t.test('token lifetime, refresh time and usability', async t => {
  const now = Date.parse('2026-01-01T00:00:00.000Z')
  t.equal(lifetime(now + 600_000, null, now), 600_000, 'no Date header: the browser clock')
  t.equal(lifetime(now + 600_000, 'Thu, 01 Jan 2026 00:05:00 GMT', now), 299_000, "a browser clock five minutes slow does not matter: the server's clock counts")
  t.equal(lifetime(now + 600_000, 'garbage', now), 600_000)

  t.equal(refreshDelay({ token: 'x', expiresAt: now + 600_000 }, now), 540_000, 'ten minutes: a minute before expiry')
  t.equal(refreshDelay({ token: 'x', expiresAt: now + 3000 }, now), 2250, 'short tokens: a quarter of their life before expiry')
  t.equal(refreshDelay({ token: 'x', expiresAt: now - 5000 }, now), 1000, 'never sooner than a second')

  t.equal(usable({ token: 'x', expiresAt: now + 10_000 }, now), true)
  t.equal(usable({ token: 'x', expiresAt: now + 1500 }, now), false, 'too close to expiry')
  t.equal(usable(undefined, now), false)
})

t.test("the build's view of the SDK exports its ceremonies, keeps registration apart, and fails loudly if the SDK's layout changes", async t => {
  const sdkFile = createRequire(import.meta.url).resolve('@authsignal/browser')
  const source = readFileSync(sdkFile, 'utf8')
  const { passkey, registration } = exposePasskeyClient(source)
  t.ok(passkey.startsWith(source.slice(0, 200)), 'the SDK source comes first, unchanged')
  t.match(passkey, /\nexport \{ startAuthentication, WebAuthnAbortService, browserSupportsWebAuthn/)
  t.notMatch(passkey, /export \{ Authsignal,/, "the SDK's own export line is replaced")
  t.notOk(passkey.includes('/** @class */ (function'), 'every class IIFE is marked pure')
  t.notMatch(passkey.slice(passkey.indexOf('\nexport { startAuthentication')), /\bPasskeyApiClient\b/, "the SDK's API client is not exported (src/internal/authsignal-api.ts sends its requests), so the bundle drops it")
  t.notMatch(passkey, /addEventListener\('DOMContentLoaded', instantiateDialogs\)/, "the dialog library's start on import is cut")
  t.notOk(passkey.includes('byteToHex.push(') || passkey.includes('crypto.randomUUID.bind(crypto)'), "the uuid package's top-level statements are cut")
  t.notOk(passkey.includes('identifyAuthenticationError(') || passkey.includes("console.warn('startAuthentication() was not called correctly"), 'startAuthentication() neither wraps errors nor checks for another call structure')
  t.notOk(passkey.includes('Internals.stubThis(') || passkey.includes('Object.defineProperty(this, "controller"'), "SimpleWebAuthn's stub hooks and field definition are simplified")
  t.throws(() => exposePasskeyClient(source.replace('_browserSupportsWebAuthnAutofillInternals.stubThis(', 'stub('), 'sdk.js'), {
    message: /sdk\.js no longer has the layout .* \(code "_browserSupportsWebAuthnAutofillInternals\.stubThis\(", 2 times\)/
  })
  t.match(passkey, /\n        credential = \(await navigator\.credentials\.get\(getOptions\)\);\n    \}\n    catch \(err\) \{\n        throw err;\n    \}\n/, 'it throws what navigator.credentials.get() threw')
  t.match(registration, /^class WebAuthnError extends Error \{$/m, 'WebAuthnError, used by the registration ceremony only, is in its module')
  t.notMatch(passkey, /^(class WebAuthnError|function (isValidDomain|warnOnBrokenImplementation))\b/m, '… and so are its other helpers')
  t.notMatch(passkey, /^(async )?function (startRegistration|identifyRegistrationError)\b/m,
    'the registration ceremony is not in the sign-in module')
  t.ok(registration.startsWith(`import { browserSupportsWebAuthn, `) && registration.includes(`} from '${AUTHSIGNAL_PASSKEY_MODULE}';`), 'the registration module imports what it shares')
  t.match(registration, /\nexport \{ startRegistration \};\n$/)

  // Nothing else changed: the source, without what was cut or moved, is the sign-in module; what was moved is the registration module.
  let rest = source
  const moved: string[] = []
  for (const { anchor, end } of [...UNUSED_CODE, ...REGISTRATION_CODE]) {
    const start = rest.indexOf(anchor)
    const stop = rest.indexOf(end, start) + end.length
    if (REGISTRATION_CODE.some(code => code.anchor === anchor)) moved.push(rest.slice(start, stop))
    rest = rest.slice(0, start) + rest.slice(stop)
  }
  for (const { from, to } of REWRITES) rest = rest.replaceAll(from, to)
  t.ok(rest.length < source.length - 10_000, 'what was cut or moved is the size of the code it names')
  t.equal(passkey.replaceAll('/* @__PURE__ */ (function', '/** @class */ (function').replace(/\nexport \{ startAuthentication[\s\S]*$/, ''), rest, 'the sign-in module is the rest, as it was')
  t.equal(registration.slice(registration.indexOf(';\n') + 2).replace(/\nexport \{ startRegistration \};\n$/, ''), moved.join('\n'), 'the registration module is what was moved, as it was')

  t.throws(() => exposePasskeyClient(source.replace('var ErrorCode;\n(function (ErrorCode) {', 'var ErrorCodes;\n(function (ErrorCode) {'), 'sdk.js'), {
    message: /sdk\.js no longer has the layout .* \(code "var ErrorCode;"\)/
  })
  t.throws(() => exposePasskeyClient(source.replace('async function startRegistration(options) {', 'async function register(options) {'), 'sdk.js'), {
    message: /sdk\.js no longer has the layout build\/authsignal-passkey\.ts expects \(missing "async function startRegistration\(options\)"\)/
  })
  t.throws(() => exposePasskeyClient(source.replace('function buildHeaders(_a) {', 'function buildHeaders(_a) { instantiateDialogs();'), 'sdk.js'), {
    message: /sdk\.js still uses what build\/authsignal-passkey\.ts cuts \(instantiateDialogs\(\)\)/
  })
})

t.test("the build minifies the elements' css`…` templates to one line, and keeps every line of the module", async t => {
  t.equal(minifyCss(`
    /* a comment */
    :host {
      display: inline-block;
      --passkey-gap: 0.5em;
    }
    button:hover:enabled ,  a > b { margin: var(--x, 0.5em) 0 0; }
    [part~='status']:focus { outline: none; }
  `), ` :host{display:inline-block;--passkey-gap:0.5em}button:hover:enabled,a>b{margin:var(--x,0.5em) 0 0}[part~='status']:focus{outline:none}`)
  const plugin = minifyCssTemplates() as { transform: (code: string, id: string) => { code: string } | undefined }
  const source = "const a = css`\n  :host {\n    display: block;\n  }\n`\nconst b = css`\n  ${a}\n  p { color: red; }\n`\nexport { a, b }\n"
  const { code } = plugin.transform(source, '/x/src/y.ts')!
  t.equal(code, "const a = css`:host{display:block}`\n\n\n\n\nconst b = css`${a} p{color:red}`\n\n\n\nexport { a, b }\n")
  t.equal(code.split('\n').length, source.split('\n').length, 'the same number of lines')
  t.equal(plugin.transform(source, '/x/node_modules/y.js'), undefined, 'only the elements\' sources')
})
