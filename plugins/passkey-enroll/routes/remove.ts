// POST <routePrefix>/:id/remove — a server-rendered form's removal of one passkey; the answer is a 303 back
// to `returnTo` with a status the page can say in words.
import type { FastifyInstance } from 'fastify'
import { AUTHENTICATOR_ID, isPasskeyError } from 'fastify-passkey-core'
import { REFUSAL_CODES, type MessageKey } from '../messages.js'
import { NO_QUERY, REFUSALS, type RouteContext } from './shared.js'

/** The statuses a removal returns with, for the page's words. */
export type RemovalStatus = 'removed' | 'not_found' | 'not_signed_in' | 'reauthentication_required' | 'unavailable'

export function removeRoute (scope: FastifyInstance, { options, api }: RouteContext): void {
  scope.post<{ Params: { id: string } }>('/:id/remove', {
    schema: {
      params: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'string', pattern: AUTHENTICATOR_ID.source } } },
      querystring: NO_QUERY,
      body: { type: ['object', 'null'], maxProperties: 4, additionalProperties: { type: 'string', maxLength: 64 } },
      response: REFUSALS
    }
  }, async (request, reply) => {
    let status: RemovalStatus
    try {
      status = await api.remove(request, request.params.id)
    } catch (error) {
      // Refusals a page can explain go back to it; anything else (a configuration error) is answered as such.
      const code = isPasskeyError(error) ? REFUSAL_CODES[error.messageKey as MessageKey] : undefined
      if (code !== 'not_signed_in' && code !== 'reauthentication_required' && code !== 'unavailable') throw error
      status = code
    }
    return await reply.redirect(`${options.returnTo}?status=${status}`, 303)
  })
}
