// The server's own HTTP client for its calls to Authsignal: one request, one answer read whole as text.
// node:http(s) on Node's default keep-alive agents; an inactivity timeout and an optional abort signal; an
// answer larger than `maxBytes` (after decoding) is an error, not memory; no redirect is ever followed (a 3xx
// is an answer like any other). Both of the server's paths to Authsignal use it: the SDK's requests
// (authsignal-transport.ts) and the login page's prepared options (passkey-login's prepare-sign-in.ts).
//
// Hand-written rather than axios's HTTP adapter or fetch because this is the IdP's hottest outbound call,
// once per sign-in and twice per prepared login page: each costs several times the CPU of a plain node:http
// request (docs/performance.md, "IdP CPU"). It does only what those calls need; anything else (a proxy, for
// one) stays with axios (authsignal-transport.ts).
import { request as httpRequest, type Agent, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { Readable } from 'node:stream'
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib'

export interface HttpRequest {
  url: URL
  method: string
  headers: Record<string, string>
  body?: string | Buffer | undefined
  /** Node's `auth` option (`user:password`, sent as Basic). */
  auth?: string | undefined
  /** Socket inactivity allowed, in ms; 0 for none. */
  timeoutMs: number
  /** The most bytes of answer body accepted (decoded); `Infinity` for no cap. */
  maxBytes: number
  agent?: Agent | undefined
  signal?: AbortSignal | undefined
}

export interface HttpAnswer {
  status: number
  statusText: string
  headers: IncomingHttpHeaders
  body: string
}

export type HttpFailure =
  /** The socket was idle longer than `timeoutMs`. */
  | 'timeout'
  /** The answer's body is larger than `maxBytes`. */
  | 'too-large'
  /** The signal aborted the request. */
  | 'aborted'
  /** Anything else: refused, reset, DNS, TLS, a body that cannot be decoded. */
  | 'network'

export class HttpClientError extends Error {
  readonly failure: HttpFailure
  readonly request: ClientRequest
  readonly code: string | undefined
  constructor (message: string, failure: HttpFailure, request: ClientRequest, code?: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'HttpClientError'
    this.failure = failure
    this.request = request
    this.code = code
  }
}

function decoded (response: IncomingMessage): Readable {
  const encoding = String(response.headers['content-encoding'] ?? '').trim().toLowerCase()
  if (encoding === '' || encoding === 'identity') return response
  const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : encoding === 'br' ? createBrotliDecompress() : undefined
  if (decoder == null) throw new Error(`unsupported content-encoding ${encoding}`)
  response.on('error', error => decoder.destroy(error))
  return response.pipe(decoder)
}

/** Sends one request; resolves with the answer whatever its status, rejects with an HttpClientError. */
export async function sendHttp (options: HttpRequest): Promise<HttpAnswer> {
  const { url, body, timeoutMs, maxBytes, signal } = options
  const headers: Record<string, string | number> = {}
  // The body's length is this client's to state, once.
  for (const [name, value] of Object.entries(options.headers)) if (name.toLowerCase() !== 'content-length') headers[name] = value
  if (body != null) headers['content-length'] = Buffer.byteLength(body)
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return await new Promise<HttpAnswer>((resolve, reject) => {
    let settled = false
    const request = send(url, { method: options.method, headers, ...(options.auth != null ? { auth: options.auth } : {}), ...(options.agent != null ? { agent: options.agent } : {}) })
    const fail = (message: string, failure: HttpFailure, cause?: unknown): void => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      const code = failure === 'timeout' ? 'ETIMEDOUT' : typeof (cause as { code?: unknown } | undefined)?.code === 'string' ? (cause as { code: string }).code : undefined
      reject(new HttpClientError(message, failure, request, code, cause != null ? { cause } : undefined))
      request.destroy()
    }
    const onAbort = (): void => { fail('the request was aborted', 'aborted', signal?.reason) }
    if (signal != null) {
      if (signal.aborted) { onAbort(); return }
      signal.addEventListener('abort', onAbort, { once: true })
    }
    if (timeoutMs > 0) request.setTimeout(timeoutMs, () => { fail(`no answer within ${timeoutMs} ms of silence`, 'timeout') })
    request.on('error', error => { fail(error.message, 'network', error) })
    request.on('response', response => {
      let stream: Readable
      try {
        stream = decoded(response)
      } catch (error) {
        fail((error as Error).message, 'network', error)
        return
      }
      const declared = Number(response.headers['content-length'])
      if (Number.isFinite(declared) && declared > maxBytes && stream === response) {
        fail(`the answer is larger than ${maxBytes} bytes`, 'too-large')
        return
      }
      const chunks: Buffer[] = []
      let length = 0
      stream.on('data', (chunk: Buffer) => {
        length += chunk.length
        if (length > maxBytes) {
          fail(`the answer is larger than ${maxBytes} bytes`, 'too-large')
          // Stop decoding too (a small compressed body can expand a long way).
          stream.destroy()
          return
        }
        chunks.push(chunk)
      })
      stream.on('error', error => { fail(error.message, 'network', error) })
      stream.on('end', () => {
        if (settled) return
        if (!response.complete) { fail('the connection closed before the answer was complete', 'network'); return }
        settled = true
        signal?.removeEventListener('abort', onAbort)
        resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', headers: response.headers, body: Buffer.concat(chunks, length).toString('utf8') })
      })
    })
    request.end(body)
  })
}
