// fastify-passkey-core on its own: the same-origin rule (with its header-less decision), the header policy
// (one named hook, per-route opt-out, hasPlugin probe), the Authsignal call wrapper, the SDK constructor,
// errors that carry status and message key.
import { createServer, type Server } from 'node:http'
import Fastify, { type FastifyRequest } from 'fastify'
import t from 'tap'
import {
  callAuthsignal, classifyError, createAuthsignalClient, createPasskeyError, FST_PASSKEY_CROSS_ORIGIN, isAuthsignalCallError, isSameOrigin,
  sameOriginGuard, securityHeaders, SECURITY_HEADERS_PLUGIN, type AuthsignalCallError
} from 'fastify-passkey-core'
import { freePort } from './fixtures/emulator.js'

const ORIGIN = 'https://app.example'
const request = (headers: Record<string, string>) => ({ headers }) as unknown as FastifyRequest

t.test('same origin: the browser must affirm it; anything naming another origin or site, or naming nothing, is refused', async t => {
  const rows: Array<[string, Record<string, string>, boolean]> = [
    ['Sec-Fetch-Site same-origin', { 'sec-fetch-site': 'same-origin' }, true],
    ['same-origin with Origin: null (no-referrer form post)', { 'sec-fetch-site': 'same-origin', origin: 'null' }, true],
    ['same-origin and our Origin', { 'sec-fetch-site': 'same-origin', origin: ORIGIN }, true],
    ['no Fetch metadata, our Origin (an older browser)', { origin: ORIGIN }, true],
    ['same-site (another port or subdomain)', { 'sec-fetch-site': 'same-site', origin: 'https://other.app.example' }, false],
    ['cross-site', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }, false],
    ['none (typed URL or bookmark)', { 'sec-fetch-site': 'none' }, false],
    ['same-origin claimed, another Origin', { 'sec-fetch-site': 'same-origin', origin: 'https://evil.example' }, false],
    ['no Fetch metadata, another Origin', { origin: 'https://evil.example' }, false],
    ['no Fetch metadata, Origin: null (sandboxed frame)', { origin: 'null' }, false],
    ['no headers at all (a script, a stripping proxy)', {}, false],
    ['our origin with a trailing slash is not our origin', { origin: `${ORIGIN}/` }, false]
  ]
  for (const [name, headers, expected] of rows) t.equal(isSameOrigin(request(headers), ORIGIN), expected, name)

  const app = Fastify()
  t.teardown(() => app.close())
  app.addHook('onRequest', sameOriginGuard(ORIGIN))
  app.get('/', async () => 'read')
  app.post('/', async () => 'changed')
  t.equal((await app.inject({ method: 'GET', url: '/' })).statusCode, 200, 'safe methods pass')
  t.equal((await app.inject({ method: 'POST', url: '/', headers: { 'sec-fetch-site': 'same-origin' } })).statusCode, 200)
  const refused = await app.inject({ method: 'POST', url: '/' })
  t.equal(refused.statusCode, 403)
  t.equal(refused.json().code, 'FST_PASSKEY_CROSS_ORIGIN')
})

t.test('the header policy: one named hook on every answer, a per-route opt-out, and a name plugins probe for', async t => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(securityHeaders, { csp: { connect: ['https://api.example/v1'], formAction: ['https://id.example/x'] }, hsts: true })
  app.get('/page', async () => 'page')
  app.get('/raw', { config: { securityHeaders: false } }, async () => 'raw')
  await app.ready()
  t.ok(app.hasPlugin(SECURITY_HEADERS_PLUGIN), 'plugins can see the host applies it')
  const page = await app.inject('/page')
  t.equal(page.headers['content-security-policy'], "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' https://api.example; form-action 'self' https://id.example; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
  for (const [name, value] of [['x-frame-options', 'DENY'], ['x-content-type-options', 'nosniff'], ['referrer-policy', 'no-referrer'],
    ['cross-origin-opener-policy', 'same-origin'], ['cross-origin-resource-policy', 'same-origin'], ['strict-transport-security', 'max-age=31536000']]) {
    t.equal(page.headers[name as string], value, name)
  }
  const notFound = await app.inject('/nothing-here')
  t.equal(notFound.headers['x-frame-options'], 'DENY', 'unrouted answers too')
  const raw = await app.inject('/raw')
  t.equal(raw.headers['content-security-policy'], undefined, 'opted out')
  t.equal(raw.headers['x-frame-options'], undefined)
  // One named hook (helmet style): a reader of the hooks finds it by name.
  t.match(String(app.printPlugins()), SECURITY_HEADERS_PLUGIN)
})

t.test('callAuthsignal: an answer in time passes; late, failed or refused calls are one coded 503, logged once under one key', async t => {
  const lines: Array<Record<string, unknown>> = []
  const log = { warn: (obj: Record<string, unknown>) => { lines.push(obj) } } as unknown as Parameters<typeof callAuthsignal>[0]['log']
  t.equal(await callAuthsignal({ log, timeoutMs: 200 }, 'track', async () => 'answer'), 'answer')

  const late = callAuthsignal({ log, timeoutMs: 50 }, 'track', async () => await new Promise(resolve => setTimeout(resolve, 500, 'too late')))
  t.match(await late.catch((e: unknown) => e), { statusCode: 503, messageKey: 'unavailable', call: 'track', failure: 'timeout' })

  const answered = Object.assign(new Error('AuthsignalError: 400 - invalid_request'), { statusCode: 400, errorCode: 'invalid_request', axiosError: { config: { auth: { username: 'sk_live_secret' } } } })
  const refused = await callAuthsignal({ log, timeoutMs: 200 }, 'validateChallenge', async () => { throw answered }).catch((e: unknown) => e)
  t.ok(isAuthsignalCallError(refused))
  t.match(refused as AuthsignalCallError, { failure: 'answered', upstreamStatus: 400, call: 'validateChallenge' })
  t.match(await callAuthsignal({ log, timeoutMs: 200 }, 'getAuthenticators', async () => { throw new Error('ECONNREFUSED') }).catch((e: unknown) => e), { failure: 'failed' })

  t.equal(lines.length, 3, 'one log line per failed call')
  for (const line of lines) t.match(line, { authsignal: { call: String, failure: String, type: String, message: String } })
  t.notMatch(JSON.stringify(lines), /sk_live_secret|axiosError|config/, 'scrubbed: no axios config, no secret')
  // A late answer after the deadline is swallowed: no unhandled rejection.
  await new Promise(resolve => setTimeout(resolve, 600))
})

t.test('createAuthsignalClient: one client per (API URL, secret), a socket timeout on its own requests, never on the global axios', async t => {
  const port = await freePort()
  let requests = 0
  const silent: Server = createServer(() => { requests++ }) // never answers
  await new Promise<void>(resolve => silent.listen(port, 'localhost', resolve))
  t.teardown(() => { silent.closeAllConnections(); silent.close() })
  const apiUrl = `http://localhost:${port}/v1`
  const client = createAuthsignalClient({ secret: 'core-test-secret-1', apiUrl, timeoutMs: 300 })
  t.equal(createAuthsignalClient({ secret: 'core-test-secret-1', apiUrl }), client, 'the same instance')
  const started = Date.now()
  await t.rejects(client.getUser({ userId: 'alice' }))
  t.ok(Date.now() - started < 5_000, 'gave up on the socket timeout, not never')
  t.ok(requests >= 1)
  const axios = (await import('axios')).default
  t.equal(axios.defaults.timeout ?? 0, 0, 'the application\'s axios is untouched')
  t.throws(() => createAuthsignalClient({ secret: '', apiUrl }), /secret is required/)
  t.throws(() => createAuthsignalClient({ secret: 'x', apiUrl: 'ftp://x' }), /apiUrl/)
})

t.test('createAuthsignalClient: a redirect is never followed, so the secret never goes where it points', async t => {
  const [apiPort, elsewherePort] = [await freePort(), await freePort()]
  const seen: Array<string | undefined> = []
  const elsewhere: Server = createServer((request, response) => { seen.push(request.headers.authorization); response.end('{}') })
  const redirecting: Server = createServer((_request, response) => { response.writeHead(307, { location: `http://localhost:${elsewherePort}/v1/users/alice` }).end() })
  await new Promise<void>(resolve => elsewhere.listen(elsewherePort, 'localhost', resolve))
  await new Promise<void>(resolve => redirecting.listen(apiPort, 'localhost', resolve))
  t.teardown(() => { elsewhere.close(); redirecting.close() })
  const client = createAuthsignalClient({ secret: 'core-test-secret-redirect', apiUrl: `http://localhost:${apiPort}/v1` })
  const error = await client.getUser({ userId: 'alice' }).catch((e: unknown) => e)
  t.match(error, { message: /status code 307/ }, 'the 307 is the answer (an error, as any non-2xx)')
  t.same(seen, [], 'nothing reached the redirect target')
})

t.test('errors carry their status and message key; anything else is a 500 whose message stays inside', async t => {
  const Custom = createPasskeyError('FST_TEST_THING', 'A thing.', 409, 'thing')
  t.same(classifyError(new Custom()), { status: 409, messageKey: 'thing', expected: true })
  t.same(classifyError(new FST_PASSKEY_CROSS_ORIGIN()), { status: 403, messageKey: 'crossOrigin', expected: true })
  t.same(classifyError(Object.assign(new Error('body/x must be string'), { validation: [], statusCode: 400 }) as never), { status: 400, messageKey: 'invalid', expected: true })
  t.same(classifyError(Object.assign(new Error('Not Found'), { statusCode: 404 }) as never), { status: 404, messageKey: 'notFound', expected: true })
  t.same(classifyError(new Error('db password=hunter2 wrong') as never), { status: 500, messageKey: 'unexpected', expected: false })
})
