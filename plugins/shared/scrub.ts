// One scrubbing policy for logs. An AuthsignalError keeps the axios error, whose `config.auth.username`
// is the API secret and whose `config.data` holds the token (security checklist F1): never log it whole.
// Use `scrubError` before logging any error, and `scrubbedLogger` (or `logSerializers`) for Fastify's logger.
import type { FastifyError, FastifyLoggerOptions, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify'

const SENSITIVE_KEY = /pass(word)?|secret|token|authorization|cookie|set-cookie|session|code_verifier|client_secret|id_token|access_token|refresh_token|apikey|api_key/i
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g
const SENSITIVE_QUERY = /([?&](?:token|code|state|password|id_token_hint|code_verifier|client_secret)=)[^&#]*/gi

export interface ScrubbedError {
  type: string
  message: string
  stack?: string
  statusCode?: number
  errorCode?: string
  code?: string
}

/** Strips anything that could carry secrets (axios config, request, response) and masks token-shaped text. */
export function scrubError (error: unknown): ScrubbedError {
  if (!(error instanceof Error)) return { type: typeof error, message: 'non-error thrown' }
  const e = error as Error & { statusCode?: unknown, errorCode?: unknown, code?: unknown }
  return {
    type: e.name,
    message: scrubText(e.message),
    ...(typeof e.stack === 'string' ? { stack: scrubText(e.stack) } : {}),
    ...(typeof e.statusCode === 'number' ? { statusCode: e.statusCode } : {}),
    ...(typeof e.errorCode === 'string' ? { errorCode: e.errorCode } : {}),
    ...(typeof e.code === 'string' ? { code: e.code } : {})
  }
}

/** Masks JWT-shaped strings and sensitive query parameters in free text (messages, URLs). */
export function scrubText (text: string): string {
  return text.replace(JWT_LIKE, '[token]').replace(SENSITIVE_QUERY, '$1[redacted]')
}

/** Path and query of a URL with sensitive parameters masked. */
export const scrubUrl = (url: string): string => scrubText(url)

/** Deep copy with sensitive keys replaced, for logging structured objects. */
export function scrubObject (value: unknown, depth = 0): unknown {
  if (depth > 6) return '[depth]'
  if (typeof value === 'string') return scrubText(value)
  if (Array.isArray(value)) return value.map(v => scrubObject(v, depth + 1))
  if (value instanceof Error) return scrubError(value)
  if (value != null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SENSITIVE_KEY.test(k) ? '[redacted]' : scrubObject(v, depth + 1)]))
  }
  return value
}

type Serializers = Required<NonNullable<FastifyLoggerOptions['serializers']>>

/**
 * Fastify logger serializers: requests without query secrets or headers, errors without axios internals.
 * Typed as Fastify's own, so `Fastify({ logger: { serializers: logSerializers } })` type-checks.
 */
export const logSerializers: { req: Serializers['req'], res: Serializers['res'], err: Serializers['err'] } = {
  req: (request: FastifyRequest) => ({ method: request.method, url: scrubUrl(request.url), id: request.id }),
  res: (reply: Pick<FastifyReply, 'statusCode'>) => ({ statusCode: reply.statusCode }),
  err: (error: FastifyError) => ({ stack: '', ...scrubError(error) })
}

/**
 * A server's Fastify `logger` option with our serializers forced on top of whatever the caller passes,
 * so every server logs URLs and errors scrubbed (checklist F1, F5). `false`/absent stays off.
 */
export function scrubbedLogger (logger: boolean | object | undefined): FastifyServerOptions['logger'] {
  if (logger == null || logger === false) return false
  const base = logger === true ? {} : logger as Record<string, unknown>
  return { ...base, serializers: { ...(base['serializers'] as object | undefined), ...logSerializers } } as FastifyServerOptions['logger']
}
