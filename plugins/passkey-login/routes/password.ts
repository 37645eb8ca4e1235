// POST <routePrefix>/:uid/login — username and password, then Authsignal `track`: signed in, sent to the
// hosted page (challenge or enrollment), or refused, as decidePasswordStep says. Fails closed: without
// Authsignal's answer nobody signs in with a password (docs/security.md F-2).
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { callAuthsignal, isUserId } from 'fastify-passkey-core'
import type { UidParams } from '../interaction.js'
import { decidePasswordStep } from '../password-decision.js'
import { failureLog } from './failures.js'
import { BODY_LIMIT, NO_QUERY, routeLog, uidParams, type RouteContext } from './shared.js'

const UA_MAX = 512

export function passwordRoute (scope: FastifyInstance, { options, interactions, passwordLimit }: RouteContext): void {
  const { accounts, authsignal, pendingMfa } = options
  const failures = failureLog(options, scope)

  scope.post<{ Params: UidParams, Body: { username: string, password: string } }>('/:uid/login', {
    ...routeLog,
    // Refusals before the handler (cross-origin, per-address limit, bad input) and from it (per-username limit, no interaction).
    onError: failures.onError('password'),
    bodyLimit: BODY_LIMIT,
    schema: {
      params: uidParams,
      querystring: NO_QUERY,
      body: {
        type: 'object',
        required: ['username', 'password'],
        additionalProperties: false,
        properties: {
          username: { type: 'string', minLength: 1, maxLength: 256 },
          password: { type: 'string', minLength: 1, maxLength: 1024 }
        }
      }
    }
  }, async (request, reply) => {
    const username = request.body.username.trim()
    failures.concerns(request, { from: 'username', value: username })
    // Counted before the interaction or the password is looked at: spreading guesses over interactions
    // or addresses does not help (E1).
    await passwordLimit?.(request, username.toLowerCase())
    const interaction = await interactions.loadLogin(request, reply)
    const { uid } = interaction
    const account = await accounts.verifyPassword(username, request.body.password)
    if (account == null || account.active === false) {
      failures.failed(request, { method: 'password', reason: account == null ? 'credentials' : 'disabled' })
      return await interactions.render(request, reply, interaction, 401, { error: 'credentials', username })
    }
    if (!isUserId(account.id)) throw new Error('passkey-login: account ids must match ^[A-Za-z0-9_-]{1,64}$ to be used with Authsignal')
    // A new password attempt replaces whatever MFA an earlier attempt in this interaction started.
    await pendingMfa.delete(uid)
    const idempotencyKey = randomUUID()
    const userAgent = request.headers['user-agent']
    let tracked
    try {
      tracked = await callAuthsignal({ log: request.log, timeoutMs: options.authsignalTimeoutMs }, 'track', async () => await authsignal.track({
        userId: account.id,
        action: options.actions.passwordMfa,
        attributes: {
          idempotencyKey,
          redirectUrl: `${options.publicOrigin}${interactions.url(uid)}/mfa`,
          username: account.username ?? username,
          ...(account.email != null ? { email: account.email } : {}),
          ipAddress: request.ip,
          ...(typeof userAgent === 'string' ? { userAgent: userAgent.slice(0, UA_MAX) } : {})
        }
      }))
    } catch {
      failures.failed(request, { method: 'password', reason: 'unavailable', account: { from: 'id', value: account.id } })
      return await interactions.render(request, reply, interaction, 503, { error: 'unavailable', username })
    }

    const decision = decidePasswordStep(tracked, { idempotencyKey, mfaPolicy: options.mfaPolicy })
    switch (decision.kind) {
      case 'allow':
        return await interactions.finish(request, reply, interaction, account, ['pwd'], 'password')
      case 'challenge':
      case 'enroll': {
        const ttl = Math.max(1, interaction.exp - Math.floor(Date.now() / 1000))
        await pendingMfa.set(uid, { accountId: account.id, idempotencyKey, failures: 0, ...(decision.kind === 'enroll' ? { enroll: true } : {}) }, ttl)
        request.log.info({ event: 'mfa-required', accountId: account.id, enroll: decision.kind === 'enroll' }, 'passkey-login: sent to Authsignal')
        return await reply.redirect(decision.url, 303)
      }
      case 'refused':
        failures.failed(request, { method: 'password', reason: 'authsignal-refused', detail: decision.state, account: { from: 'id', value: account.id } })
        return await interactions.render(request, reply, interaction, 403, { error: 'refused', username })
      case 'unusable':
        failures.failed(request, { method: 'password', reason: 'unavailable', detail: decision.reason, account: { from: 'id', value: account.id } })
        return await interactions.render(request, reply, interaction, 503, { error: 'unavailable', username })
    }
  })
}
