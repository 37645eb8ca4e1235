// POST <routePrefix>/enrollment-token — an Authsignal token with the `add:authenticators` scope for the
// signed-in user, after a recent sign-in (A10), rate limited per user (E1, E3): what <passkey-enroll> runs
// `passkey.signUp({ token })` with. Minted on an explicit POST only, never cached.
import type { FastifyInstance } from 'fastify'
import { callAuthsignal, FST_PASSKEY_UNAVAILABLE } from 'fastify-passkey-core'
import { decodeJwt } from 'jose'
import { FST_PASSKEY_ENROLL_NOT_SIGNED_IN, FST_PASSKEY_ENROLL_REAUTHENTICATE } from '../errors.js'
import { enrollRefusals } from './failures.js'
import { NO_QUERY, REFUSALS, type RouteContext } from './shared.js'

/** A token expiry for the element's refresh timer: the JWT's `exp`, else Authsignal's documented 10 minutes. */
function expiryOf (token: string): string {
  try {
    const { exp } = decodeJwt(token)
    if (typeof exp === 'number') return new Date(exp * 1000).toISOString()
  } catch {}
  return new Date(Date.now() + 10 * 60_000).toISOString()
}

export function enrollmentTokenRoute (scope: FastifyInstance, { options, api, tokenLimit }: RouteContext): void {
  const refusals = enrollRefusals(options)
  scope.post('/enrollment-token', {
    schema: {
      querystring: NO_QUERY,
      body: { type: ['object', 'null'], additionalProperties: false, maxProperties: 0 },
      response: {
        200: { type: 'object', required: ['token', 'expiresAt'], additionalProperties: false, properties: { token: { type: 'string' }, expiresAt: { type: 'string' } } },
        ...REFUSALS
      }
    }
  }, async request => {
    const { userId, recent } = await api.signInState(request)
    if (userId == null) throw new FST_PASSKEY_ENROLL_NOT_SIGNED_IN()
    if (!recent) {
      refusals.refused(request, 'reauthentication-required', userId)
      throw new FST_PASSKEY_ENROLL_REAUTHENTICATE()
    }
    try {
      await tokenLimit?.(request, userId)
    } catch (error) {
      if ((error as { code?: unknown }).code === 'FST_PASSKEY_TOO_MANY_REQUESTS') refusals.refused(request, 'rate-limited', userId)
      throw error
    }
    const tracked = await callAuthsignal({ log: request.log, timeoutMs: options.authsignalTimeoutMs }, 'track', async () => await options.authsignal.track({
      userId,
      action: options.action,
      // Only this scope lets a token add an authenticator for a user who already has one.
      attributes: { scope: 'add:authenticators' }
    }))
    if (typeof tracked?.token !== 'string' || tracked.token === '') {
      request.log.warn({ authsignal: { call: 'track', failure: 'no-token' } }, 'Authsignal call failed')
      throw new FST_PASSKEY_UNAVAILABLE('Authsignal')
    }
    request.log.info({ event: 'enrollment-token', userId }, 'passkey-enroll: enrollment token issued')
    return { token: tracked.token, expiresAt: expiryOf(tracked.token) }
  })
}
