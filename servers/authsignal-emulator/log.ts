// What this server logs: request lines without the tokens the hosted page carries in its query string,
// and errors without anything attached to them. The secret and the tokens it issues never reach a log.
import type { FastifyServerOptions } from 'fastify'

const SENSITIVE_QUERY = /([?&](?:token|code|secret)=)[^&#]*/gi
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g

const scrub = (text: string): string => text.replace(JWT_LIKE, '[token]').replace(SENSITIVE_QUERY, '$1[redacted]')

const serializers = {
  req: (request: { method?: string, url?: string, id?: unknown }) => ({ method: request.method, url: scrub(request.url ?? ''), id: request.id }),
  res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
  err: (error: { name?: string, message?: string }) => ({ type: error.name, message: scrub(String(error.message ?? '')) })
}

/** The Fastify `logger` option: off, or the caller's options with these serializers on top. */
export function emulatorLogger (logger: boolean | object | undefined): FastifyServerOptions['logger'] {
  if (logger == null || logger === false) return false
  const base = logger === true ? {} : logger as Record<string, unknown>
  return { ...base, serializers: { ...(base['serializers'] as object | undefined), ...serializers } } as unknown as FastifyServerOptions["logger"]
}
