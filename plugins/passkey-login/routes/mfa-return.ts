// GET <routePrefix>/:uid/mfa?token= — the return from Authsignal's hosted page: the token must belong to the
// user who typed the password in this interaction and to the action tracked then (acceptToken).
import type { FastifyInstance } from 'fastify'
import { acceptToken } from '../accept-token.js'
import type { UidParams } from '../interaction.js'
import { routeLog, tokenField, uidParams, type RouteContext } from './shared.js'
import { failureLog } from './failures.js'
import { acceptDeps, methodAmr, refusal } from './tokens.js'

export function mfaReturnRoute (scope: FastifyInstance, { options, interactions }: RouteContext): void {
  const { pendingMfa } = options
  const failures = failureLog(options, scope)

  scope.get<{ Params: UidParams, Querystring: { token: string } }>('/:uid/mfa', {
    ...routeLog,
    onError: failures.onError('mfa'),
    schema: {
      params: uidParams,
      querystring: { type: 'object', required: ['token'], additionalProperties: false, properties: { token: tokenField } }
    }
  }, async (request, reply) => {
    const interaction = await interactions.loadLogin(request, reply)
    const { uid } = interaction
    const pending = await pendingMfa.get(uid)
    if (pending == null) {
      failures.failed(request, { method: 'mfa', reason: 'no-pending-mfa' })
      return await interactions.render(request, reply, interaction, 400, { error: 'startAgain' })
    }
    const result = await acceptToken(acceptDeps(options, request), request.query.token, {
      kind: 'mfa', action: options.actions.passwordMfa, accountId: pending.accountId, idempotencyKey: pending.idempotencyKey
    })
    if (!result.accepted) {
      failures.failed(request, { method: 'mfa', reason: result.reason, account: { from: 'id', value: pending.accountId } })
      if (pending.enroll === true && result.reason === 'state' && result.state === 'ALLOW' && result.verificationMethod != null) {
        // Sent to enroll, and Authsignal answers ALLOW (a service that says ALLOW once the new authenticator is
        // set up: authsignal-emulator's hostedEnrollmentState knob) with the method it recorded. A cancelled
        // enrollment comes back with the track token unchanged (ALLOW too, but no method): an ordinary refusal. The
        // track token itself says ALLOW, so ALLOW cannot be accepted here; the password is asked again, and
        // this time Authsignal challenges with the new authenticator. The words say why.
        await pendingMfa.delete(uid)
        return await interactions.render(request, reply, interaction, 400, { error: 'enrolled' })
      }
      if (result.reason !== 'unavailable') {
        // Too many bad returns and the password must be typed again (A4).
        const failures = pending.failures + 1
        if (failures >= options.maxMfaFailures) await pendingMfa.delete(uid)
        else await pendingMfa.set(uid, { ...pending, failures }, Math.max(1, interaction.exp - Math.floor(Date.now() / 1000)))
      }
      const { status, error } = refusal(result)
      return await interactions.render(request, reply, interaction, status, { error })
    }
    await pendingMfa.delete(uid)
    return await interactions.finish(request, reply, interaction, result.account, ['pwd', 'mfa', ...methodAmr(result.verificationMethod)], 'password+mfa')
  })
}
