// CORS for the Client API: the browser SDK calls it cross-origin with JSON and an Authorization header,
// so every call is preflighted. Only the expected origins get an answer; any other origin is refused.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from './errors.js'

export function corsHook (expectedOrigins: string[]) {
  const allowed = new Set(expectedOrigins)
  return async function cors (request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const origin = request.headers.origin
    if (origin == null) return // not a browser cross-origin call (server-side or same-origin tooling)
    if (!allowed.has(origin)) throw new ApiError(403, 'origin_not_allowed', 'This origin is not an expected origin of the tenant.')
    reply.header('access-control-allow-origin', origin)
    reply.header('access-control-allow-credentials', 'true')
    reply.header('vary', 'Origin')
    if (request.method === 'OPTIONS') {
      reply.header('access-control-allow-methods', 'GET, POST, PATCH, DELETE')
      reply.header('access-control-allow-headers', 'Authorization, Content-Type')
      reply.header('access-control-max-age', '600')
      await reply.code(204).send()
    }
  }
}
