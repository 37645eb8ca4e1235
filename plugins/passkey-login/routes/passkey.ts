// POST <routePrefix>/:uid/passkey — the token <passkey-input> or <passkey-signin-button> submitted: a
// passkey sign-in for the passkey action (acceptToken), then signed in with no password.
import type { FastifyInstance } from 'fastify'
import { acceptToken } from '../accept-token.js'
import type { UidParams } from '../interaction.js'
import { BODY_LIMIT, NO_QUERY, routeLog, tokenField, uidParams, type RouteContext } from './shared.js'
import { failureLog } from './failures.js'
import { acceptDeps, refusal } from './tokens.js'

export function passkeyRoute (scope: FastifyInstance, { options, interactions }: RouteContext): void {
  const failures = failureLog(options, scope)
  scope.post<{ Params: UidParams, Body: { token: string } }>('/:uid/passkey', {
    ...routeLog,
    // Refusals before the handler (cross-origin, rate limit, bad input) and from it (no interaction).
    onError: failures.onError('passkey'),
    bodyLimit: BODY_LIMIT,
    schema: {
      params: uidParams,
      querystring: NO_QUERY,
      body: { type: 'object', required: ['token'], additionalProperties: false, properties: { token: tokenField } }
    }
  }, async (request, reply) => {
    const interaction = await interactions.loadLogin(request, reply)
    const result = await acceptToken(acceptDeps(options, request), request.body.token, { kind: 'passkey', action: options.actions.passkeySignIn })
    if (!result.accepted) {
      failures.failed(request, { method: 'passkey', reason: result.reason, ...(result.userId != null ? { account: { from: 'id', value: result.userId } } : {}) })
      const { status, error } = refusal(result)
      return await interactions.render(request, reply, interaction, status, { error })
    }
    // A passkey sign-in ends any password step this interaction had started (A5).
    await options.pendingMfa.delete(interaction.uid)
    return await interactions.finish(request, reply, interaction, result.account, ['hwk'], 'passkey')
  })
}
