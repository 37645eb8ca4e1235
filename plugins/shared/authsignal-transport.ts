// The transport under @authsignal/node: an axios adapter (axios's own extension point, set on the SDK
// client's request config only, never on the application's axios) that sends the SDK's requests with
// http-client.ts. The SDK still builds every request (URL, Basic secret, headers, JSON body) and reads
// every answer (axios parses it, the SDK maps errors, its retry interceptor retries): only the bytes go
// over a lighter client. What this adapter does not do itself goes to axios's own HTTP adapter unchanged:
// a proxy (config or environment), a base URL or query parameters, redirects, streams and progress,
// cancellation, other response types.
//
// The answers and errors keep axios's shapes, which the SDK relies on: a non-2xx answer is an AxiosError
// carrying `response` (status and data, for AuthsignalError), a timeout is `ECONNABORTED` (or `ETIMEDOUT`
// with `transitional.clarifyTimeoutError`), a network failure has no `response` (retried once), an answer
// over `maxContentLength` is `ERR_BAD_RESPONSE`. test/authsignal-transport.test.ts holds them side by side
// with axios's own adapter.
import axios, { AxiosError, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios'
import type { Agent } from 'node:http'
import { HttpClientError, sendHttp } from './http-client.js'

const PROXY_VARIABLES = ['http_proxy', 'https_proxy', 'all_proxy', 'npm_config_proxy', 'npm_config_http_proxy', 'npm_config_https_proxy']

/** A proxy in the environment, as axios reads it (proxy-from-env): then axios's adapter sends the request. */
function proxyInEnvironment (): boolean {
  // An empty value counts as unset, as in proxy-from-env.
  return PROXY_VARIABLES.some(name => (process.env[name] || process.env[name.toUpperCase()] || '') !== '')
}

type Config = InternalAxiosRequestConfig & Record<string, unknown>

/** Requests this adapter sends itself: everything the SDK sends, with none of the features it leaves to axios. */
function isPlain (config: Config): boolean {
  const responseType = config.responseType ?? 'json'
  return /^https?:\/\//i.test(config.url ?? '') && (config.baseURL ?? '') === '' && config.params == null &&
    config.maxRedirects === 0 &&
    (config.proxy === false || (config.proxy == null && !proxyInEnvironment())) &&
    (config.data == null || typeof config.data === 'string') &&
    (responseType === 'json' || responseType === 'text') &&
    config.socketPath == null && config.lookup == null && config.family == null &&
    (config.httpVersion == null || config.httpVersion === 1) &&
    config.signal == null && config.cancelToken == null &&
    config.onUploadProgress == null && config.onDownloadProgress == null &&
    config.maxRate == null && config.beforeRedirect == null && config.insecureHTTPParser == null &&
    config.decompress !== false
}

function basicAuth (config: Config): string | undefined {
  if (config.auth == null) return undefined
  return `${config.auth.username ?? ''}:${config.auth.password ?? ''}`
}

/** The adapter: http-client.ts for a plain request, axios's HTTP adapter for anything else. */
export const authsignalTransport: AxiosAdapter = async config => {
  const given = config as Config
  if (!isPlain(given)) return await (axios.getAdapter('http') as AxiosAdapter)(config)
  const url = new URL(given.url ?? '')
  const auth = basicAuth(given)
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(config.headers.toJSON(true) as Record<string, unknown>)) {
    if (value == null || value === false) continue
    // As axios's adapter: config.auth wins over an Authorization header.
    if (auth != null && name.toLowerCase() === 'authorization') continue
    headers[name] = String(value)
  }
  const maxContentLength = typeof config.maxContentLength === 'number' && config.maxContentLength > -1 ? config.maxContentLength : Number.POSITIVE_INFINITY
  const timeoutMs = Number(config.timeout ?? 0)
  const agent = (url.protocol === 'https:' ? config.httpsAgent : config.httpAgent) as Agent | undefined
  let answer
  try {
    answer = await sendHttp({
      url,
      method: (config.method ?? 'get').toUpperCase(),
      headers,
      body: config.data as string | undefined,
      auth,
      timeoutMs: Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 0,
      maxBytes: maxContentLength,
      agent
    })
  } catch (error) {
    if (!(error instanceof HttpClientError)) throw error
    if (error.failure === 'timeout') {
      const message = config.timeoutErrorMessage ?? (timeoutMs > 0 ? `timeout of ${timeoutMs}ms exceeded` : 'timeout exceeded')
      throw new AxiosError(message, config.transitional?.clarifyTimeoutError === true ? AxiosError.ETIMEDOUT : AxiosError.ECONNABORTED, config, error.request)
    }
    if (error.failure === 'too-large') throw new AxiosError(`maxContentLength size of ${maxContentLength} exceeded`, AxiosError.ERR_BAD_RESPONSE, config, error.request)
    const cause = error.cause instanceof Error ? error.cause : error
    throw AxiosError.from(cause, (cause as { code?: string }).code ?? error.code, config, error.request)
  }
  const response: AxiosResponse = { data: answer.body, status: answer.status, statusText: answer.statusText, headers: answer.headers as AxiosResponse['headers'], config, request: { method: (config.method ?? 'get').toUpperCase(), path: url.pathname } }
  const validateStatus = config.validateStatus
  if (response.status === 0 || validateStatus == null || validateStatus(response.status)) return response
  throw new AxiosError(
    `Request failed with status code ${response.status}`,
    response.status >= 400 && response.status < 500 ? AxiosError.ERR_BAD_REQUEST : AxiosError.ERR_BAD_RESPONSE,
    config,
    response.request,
    response
  )
}
