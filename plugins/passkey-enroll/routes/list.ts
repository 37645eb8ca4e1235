// GET <routePrefix>/list — the signed-in user's passkeys as JSON (the same list as `passkeyEnroll.list()`).
import type { FastifyInstance } from 'fastify'
import { NO_QUERY, PASSKEY, REFUSALS, type RouteContext } from './shared.js'

export function listRoute (scope: FastifyInstance, { api }: RouteContext): void {
  scope.get('/list', {
    schema: {
      querystring: NO_QUERY,
      response: { 200: { type: 'object', required: ['passkeys'], additionalProperties: false, properties: { passkeys: { type: 'array', items: PASSKEY } } }, ...REFUSALS }
    }
  }, async request => ({ passkeys: await api.list(request) }))
}
