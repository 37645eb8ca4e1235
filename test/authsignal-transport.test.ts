// The transport under @authsignal/node (fastify-passkey-core's authsignalTransport over sendHttp), side by side
// with axios's own HTTP adapter: the official SDK, over real HTTP, against answers of every kind — the same bytes
// on the wire, and the same result or the same AuthsignalError for each. Then what only the transport promises
// (a size cap, a gzip answer, an abort), what it leaves to axios (a proxy in the environment), and
// createAuthsignalClient using it with the SDK's retry.
import { Authsignal } from '@authsignal/node'
import axios, { type AxiosAdapter } from 'axios'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { Agent as HttpsAgent, createServer as createHttpsServer } from 'node:https'
import type { Socket } from 'node:net'
import { gzipSync } from 'node:zlib'
import t, { type Test } from 'tap'
import { authsignalTransport, createAuthsignalClient, HttpClientError, MAX_AUTHSIGNAL_ANSWER_BYTES, sendHttp } from 'fastify-passkey-core'
import { freePort } from './fixtures/emulator.js'

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void
interface Seen { method: string, url: string, headers: Record<string, string | string[] | undefined>, body: string }

async function server (t: Test, handler: Handler): Promise<{ apiUrl: string, seen: Seen[], connections: Set<Socket> }> {
  const port = await freePort()
  const seen: Seen[] = []
  const connections = new Set<Socket>()
  const listening: Server = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => { body += chunk })
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: { ...request.headers }, body })
      handler(request, body, response)
    })
  })
  listening.on('connection', socket => { connections.add(socket); socket.on('close', () => connections.delete(socket)) })
  await new Promise<void>(resolve => listening.listen(port, '127.0.0.1', resolve))
  t.teardown(async () => { listening.closeAllConnections(); await new Promise(resolve => listening.close(resolve)) })
  return { apiUrl: `http://127.0.0.1:${port}/v1`, seen, connections }
}

/** The SDK as createAuthsignalClient configures it, over the given adapter, without the global retry. */
function sdkOver (adapter: AxiosAdapter, apiUrl: string, timeoutMs = 1000): Authsignal {
  const client = new Authsignal({ apiSecretKey: 'transport-test-secret', apiUrl, retries: 0 })
  const hook = client as unknown as { getRequestConfig: () => Record<string, unknown> }
  const own = hook.getRequestConfig.bind(client)
  hook.getRequestConfig = () => ({ ...own(), timeout: timeoutMs, maxRedirects: 0, maxContentLength: MAX_AUTHSIGNAL_ANSWER_BYTES, adapter })
  return client
}

const axiosHttp = axios.getAdapter('http') as AxiosAdapter
const TOKEN = `${'e'.repeat(20)}.${'p'.repeat(200)}.${'s'.repeat(43)}`

/** What a caller can observe of an SDK call: its answer, or the AuthsignalError's fields. */
async function outcome (call: Promise<unknown>): Promise<unknown> {
  try {
    return { answered: await call }
  } catch (error) {
    const e = error as { name?: string, statusCode?: number, errorCode?: string, errorDescription?: string, message?: string }
    return { failed: { name: e.name, statusCode: e.statusCode, errorCode: e.errorCode, errorDescription: e.errorDescription, message: e.message } }
  }
}

const json = (response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void => {
  const body = JSON.stringify(value)
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers }).end(body)
}

t.test('the same request on the wire as axios\'s adapter, and the same outcome for every kind of answer', async t => {
  const answers: Array<[string, Handler]> = [
    ['200 with a validation', (_q, _b, r) => { json(r, 200, { isValid: true, state: 'CHALLENGE_SUCCEEDED', actionCode: 'signInWithPasskey', userId: 'alice', idempotencyKey: 'k1' }) }],
    ['200 chunked, no content-length', (_q, _b, r) => { r.writeHead(200, { 'content-type': 'application/json' }); r.write('{"isValid":false,'); r.end('"state":"CHALLENGE_FAILED"}') }],
    ['400 with Authsignal\'s error body', (_q, _b, r) => { json(r, 400, { error: 'invalid_request', errorDescription: 'The token is malformed.' }) }],
    ['401 with an error code only', (_q, _b, r) => { json(r, 401, { error: 'unauthorized' }) }],
    ['404 with an empty body', (_q, _b, r) => { r.writeHead(404).end() }],
    ['429 with JSON', (_q, _b, r) => { json(r, 429, { error: 'too_many_requests' }) }],
    ['500 with text', (_q, _b, r) => { r.writeHead(500, { 'content-type': 'text/plain' }).end('upstream exploded') }],
    ['503 with HTML', (_q, _b, r) => { r.writeHead(503, { 'content-type': 'text/html' }).end('<html>maintenance</html>') }],
    ['307 redirect (never followed)', (_q, _b, r) => { r.writeHead(307, { location: 'http://127.0.0.1:9/elsewhere' }).end() }],
    ['200 that is not JSON', (_q, _b, r) => { r.writeHead(200, { 'content-type': 'text/html' }).end('<html>not json</html>') }],
    ['200 gzip-encoded JSON', (_q, _b, r) => { const body = gzipSync(JSON.stringify({ isValid: true, state: 'CHALLENGE_SUCCEEDED' })); r.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body.length }).end(body) }]
  ]
  for (const [name, handler] of answers) {
    const { apiUrl, seen } = await server(t, handler)
    const theirs = await outcome(sdkOver(axiosHttp, apiUrl).validateChallenge({ token: TOKEN, action: 'signInWithPasskey' }))
    const ours = await outcome(sdkOver(authsignalTransport, apiUrl).validateChallenge({ token: TOKEN, action: 'signInWithPasskey' }))
    t.same(ours, theirs, `${name}: the same outcome`)
    t.equal(seen.length, 2, `${name}: one request each`)
    const [a, b] = seen as [Seen, Seen]
    t.same([b.method, b.url, b.body], [a.method, a.url, a.body], `${name}: the same method, path and body`)
    // axios's adapter also asks for compressed answers (Accept-Encoding), which this one does not need.
    const { 'accept-encoding': _ae, ...theirHeaders } = a.headers
    t.same(b.headers, { ...theirHeaders }, `${name}: the same headers, the Basic secret included`)
  }
})

t.test('failures without an answer: the same AuthsignalError as over axios\'s adapter', async t => {
  // Silent past the timeout.
  const silent = await server(t, () => {})
  const timedOut = [await outcome(sdkOver(axiosHttp, silent.apiUrl, 200).getUser({ userId: 'alice' })), await outcome(sdkOver(authsignalTransport, silent.apiUrl, 200).getUser({ userId: 'alice' }))]
  t.same(timedOut[1], timedOut[0], 'a timeout')
  t.match(timedOut[1], { failed: { statusCode: 500, errorCode: 'unexpected_error', message: /timeout of 200ms exceeded/ } })
  // Refused: nothing listens.
  const closedUrl = `http://127.0.0.1:${await freePort()}/v1`
  const refused = [await outcome(sdkOver(axiosHttp, closedUrl).getUser({ userId: 'alice' })), await outcome(sdkOver(authsignalTransport, closedUrl).getUser({ userId: 'alice' }))]
  t.same(refused[1], refused[0], 'a refused connection')
  t.match(refused[1], { failed: { statusCode: 500, message: /ECONNREFUSED/ } })
  // Dropped halfway through the answer.
  const dropping = await server(t, (_q, _b, r) => { r.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 }); r.write('{"isValid":'); setTimeout(() => { r.socket?.destroy() }, 20) })
  for (const adapter of [axiosHttp, authsignalTransport]) {
    t.match(await outcome(sdkOver(adapter, dropping.apiUrl).getUser({ userId: 'alice' })), { failed: { statusCode: 500, errorCode: 'unexpected_error' } }, `${adapter === axiosHttp ? 'axios' : 'ours'}: a connection dropped mid-answer fails`)
  }
  // Larger than maxContentLength: an error, never the body.
  const huge = await server(t, (_q, _b, r) => { json(r, 200, { pad: 'x'.repeat(MAX_AUTHSIGNAL_ANSWER_BYTES) }) })
  const tooLarge = [await outcome(sdkOver(axiosHttp, huge.apiUrl).getUser({ userId: 'alice' })), await outcome(sdkOver(authsignalTransport, huge.apiUrl).getUser({ userId: 'alice' }))]
  t.same(tooLarge[1], tooLarge[0], 'an answer over the cap')
  t.match(tooLarge[1], { failed: { message: new RegExp(`maxContentLength size of ${MAX_AUTHSIGNAL_ANSWER_BYTES} exceeded`) } })
})

t.test('sendHttp: the cap holds for chunked and compressed answers too, an abort stops the request, a 3xx is an answer', async t => {
  const chunked = await server(t, (_q, _b, r) => { r.writeHead(200); for (let i = 0; i < 10; i++) r.write('y'.repeat(1000)); r.end() })
  t.match(await sendHttp({ url: new URL(chunked.apiUrl), method: 'GET', headers: {}, timeoutMs: 1000, maxBytes: 5000 }).catch((e: unknown) => e), { failure: 'too-large' })
  t.equal((await sendHttp({ url: new URL(chunked.apiUrl), method: 'GET', headers: {}, timeoutMs: 1000, maxBytes: 10_000 })).body.length, 10_000, 'at the cap: read whole')
  // A small gzip body that expands past the cap (the cap counts decoded bytes).
  const bomb = gzipSync('z'.repeat(200_000))
  const zipped = await server(t, (_q, _b, r) => { r.writeHead(200, { 'content-encoding': 'gzip', 'content-length': bomb.length }).end(bomb) })
  t.ok(bomb.length < 5000)
  t.match(await sendHttp({ url: new URL(zipped.apiUrl), method: 'GET', headers: {}, timeoutMs: 1000, maxBytes: 100_000 }).catch((e: unknown) => e), { failure: 'too-large' })
  const unknown = await server(t, (_q, _b, r) => { r.writeHead(200, { 'content-encoding': 'zstd-x' }).end('??') })
  t.match(await sendHttp({ url: new URL(unknown.apiUrl), method: 'GET', headers: {}, timeoutMs: 1000, maxBytes: 1000 }).catch((e: unknown) => e), { failure: 'network', message: /content-encoding/ })
  const silent = await server(t, () => {})
  const controller = new AbortController()
  setTimeout(() => { controller.abort() }, 50)
  const aborted = await sendHttp({ url: new URL(silent.apiUrl), method: 'GET', headers: {}, timeoutMs: 0, maxBytes: 1000, signal: controller.signal }).catch((e: unknown) => e)
  t.ok(aborted instanceof HttpClientError)
  t.match(aborted, { failure: 'aborted' })
  const redirecting = await server(t, (_q, _b, r) => { r.writeHead(302, { location: 'http://127.0.0.1:9/' }).end() })
  t.match(await sendHttp({ url: new URL(redirecting.apiUrl), method: 'POST', headers: {}, body: '{}', timeoutMs: 1000, maxBytes: 1000 }), { status: 302, body: '' })
  t.equal(redirecting.seen.length, 1, 'not followed')
})

t.test('HTTPS (Authsignal\'s own API is HTTPS): the certificate is verified, and a host\'s agent (its CA) is used, as over axios\'s adapter', async t => {
  // A self-signed certificate for localhost and 127.0.0.1, for tests only.
  const [key, cert] = await Promise.all([readFile(new URL('./fixtures/tls-test-key.pem', import.meta.url)), readFile(new URL('./fixtures/tls-test-cert.pem', import.meta.url))])
  const port = await freePort()
  const seen: string[] = []
  const secure = createHttpsServer({ key, cert }, (request, response) => { seen.push(`${request.method ?? ''} ${request.url ?? ''} ${request.headers.authorization ?? ''}`); json(response, 200, { userId: 'alice' }) })
  await new Promise<void>(resolve => secure.listen(port, '127.0.0.1', resolve))
  t.teardown(() => { secure.closeAllConnections(); secure.close() })
  const apiUrl = `https://127.0.0.1:${port}/v1`
  // Unknown issuer: refused by both, before anything is sent.
  const untrusted = [await outcome(sdkOver(axiosHttp, apiUrl).getUser({ userId: 'alice' })), await outcome(sdkOver(authsignalTransport, apiUrl).getUser({ userId: 'alice' }))]
  t.same(untrusted[1], untrusted[0], 'the same refusal')
  t.match(untrusted[1], { failed: { statusCode: 500, message: /self[- ]signed|certificate/i } })
  t.same(seen, [], 'no request reached the server')
  // Trusted through the host's agent.
  const httpsAgent = new HttpsAgent({ ca: cert, keepAlive: true })
  t.teardown(() => { httpsAgent.destroy() })
  const withAgent = (adapter: AxiosAdapter): Authsignal => {
    const client = sdkOver(adapter, apiUrl)
    const hook = client as unknown as { getRequestConfig: () => Record<string, unknown> }
    const own = hook.getRequestConfig.bind(client)
    hook.getRequestConfig = () => ({ ...own(), httpsAgent })
    return client
  }
  const trusted = [await outcome(withAgent(axiosHttp).getUser({ userId: 'alice' })), await outcome(withAgent(authsignalTransport).getUser({ userId: 'alice' }))]
  t.same(trusted[1], trusted[0], 'the same answer')
  t.same(trusted[1], { answered: { userId: 'alice' } })
  t.equal(seen.length, 2)
  t.equal(seen[1], seen[0], 'the same request line and Basic secret')
})

t.test('a feature the transport leaves to axios (decompress: false): axios\'s own adapter answers, byte for byte', async t => {
  const body = gzipSync(JSON.stringify({ userId: 'alice' }))
  const zipped = await server(t, (_q, _b, r) => { r.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body.length }).end(body) })
  const raw = async (adapter: AxiosAdapter): Promise<unknown> => (await axios.get(`${zipped.apiUrl}/users/alice`, { adapter, maxRedirects: 0, decompress: false, responseType: 'text' })).data
  const theirs = await raw(axiosHttp)
  t.equal(await raw(authsignalTransport), theirs, 'the same undecoded answer')
  t.not(theirs, '{"userId":"alice"}', 'left compressed, as asked')
})

t.test('a proxy in the environment: the request goes through it, by axios\'s own adapter', async t => {
  const target = await server(t, (_q, _b, r) => { json(r, 200, { userId: 'alice' }) })
  const proxied: string[] = []
  // A forward proxy: it receives the absolute URL and passes the request on.
  const proxy = await server(t, (request, body, response) => {
    proxied.push(request.url ?? '')
    void fetch(request.url ?? '', { method: request.method, headers: { authorization: String(request.headers.authorization ?? ''), 'content-type': 'application/json' }, ...(request.method === 'GET' ? {} : { body }) })
      .then(async answer => { response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text()) })
  })
  process.env['HTTP_PROXY'] = proxy.apiUrl.replace(/\/v1$/, '')
  t.teardown(() => { delete process.env['HTTP_PROXY'] })
  t.same(await sdkOver(authsignalTransport, target.apiUrl).getUser({ userId: 'alice' }), { userId: 'alice' })
  t.same(proxied, [`${target.apiUrl}/users/alice`], 'the proxy carried it')
})

t.test('createAuthsignalClient: its requests go over the transport; a dropped connection is retried once, as the SDK does', async t => {
  let attempts = 0
  const flaky = await server(t, (_q, _b, r) => {
    attempts++
    if (attempts === 1) { r.socket?.destroy(); return }
    json(r, 200, { userId: 'alice', isEnrolled: true })
  })
  const client = createAuthsignalClient({ secret: 'transport-test-retry', apiUrl: flaky.apiUrl })
  t.equal((client as unknown as { getRequestConfig: () => { adapter?: unknown } }).getRequestConfig().adapter, authsignalTransport)
  t.match(await client.getUser({ userId: 'alice' }), { userId: 'alice', isEnrolled: true })
  t.equal(attempts, 2, 'one retry')
  // A 4xx is an answer, not retried.
  const refusing = await server(t, (_q, _b, r) => { json(r, 400, { error: 'invalid_request' }) })
  const other = createAuthsignalClient({ secret: 'transport-test-retry', apiUrl: refusing.apiUrl })
  t.match(await outcome(other.getUser({ userId: 'alice' })), { failed: { statusCode: 400, errorCode: 'invalid_request' } })
  t.equal(refusing.seen.length, 1, 'not retried')
})
