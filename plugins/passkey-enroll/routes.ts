// The plugin's routes: mint an enrollment token, list the user's passkeys, remove one.
// Order of checks on every state-changing request: same origin (before anything else, so a forged
// request reaches neither the session nor Authsignal), signed in, signed in recently, rate limit.
import formbody from '@fastify/formbody'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { decodeJwt } from 'jose'
import { withDeadline } from '../shared/deadline.js'
import { scrubError } from '../shared/scrub.js'
import type { ResolvedOptions } from './options.js'
import { checkUserId, listPasskeys, removePasskey, type PasskeyDirectoryDeps } from './passkeys.js'
import { isSameOrigin } from '../shared/same-origin.js'
import { WindowLimiter } from './window-limiter.js'

export const MESSAGES = {
  notSignedIn: 'Sign in to manage your passkeys.',
  reauthenticate: 'For your security, sign in again before changing your passkeys.',
  tooMany: 'Too many attempts. Please wait a few minutes and try again.',
  unavailable: 'Passkeys are temporarily unavailable. Please try again in a moment.',
  crossOrigin: 'This request did not come from this site.'
} as const

/** Why a request was refused, as the JSON body's `error` (machine-readable) and the user's words. */
type Refusal = 'not_signed_in' | 'reauthentication_required' | 'too_many_requests' | 'unavailable' | 'cross_origin'

const STATUS: Record<Refusal, number> = { not_signed_in: 401, reauthentication_required: 401, too_many_requests: 429, unavailable: 503, cross_origin: 403 }
const WORDS: Record<Refusal, string> = {
  not_signed_in: MESSAGES.notSignedIn,
  reauthentication_required: MESSAGES.reauthenticate,
  too_many_requests: MESSAGES.tooMany,
  unavailable: MESSAGES.unavailable,
  cross_origin: MESSAGES.crossOrigin
}

// Schemas of what the routes take and answer: a response schema also means nothing but these fields
// can ever leave (fast-json-stringify drops the rest).
const REFUSAL = {
  type: 'object',
  required: ['error', 'message'],
  additionalProperties: false,
  properties: { error: { type: 'string' }, message: { type: 'string' } }
} as const
const REFUSALS = { '4xx': REFUSAL, '5xx': REFUSAL } as const
const NO_QUERY = { type: 'object', additionalProperties: false, maxProperties: 0 } as const
const PASSKEY = {
  type: 'object',
  required: ['id', 'name', 'createdAt', 'synced'],
  additionalProperties: false,
  properties: { id: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string' }, lastUsedAt: { type: 'string' }, synced: { type: 'boolean' } }
} as const

/** A token expiry for the element's refresh timer: the JWT's `exp`, else Authsignal's documented 10 minutes. */
function expiryOf (token: string): string {
  try {
    const { exp } = decodeJwt(token)
    if (typeof exp === 'number') return new Date(exp * 1000).toISOString()
  } catch {}
  return new Date(Date.now() + 10 * 60_000).toISOString()
}

export const enrollRoutes: FastifyPluginAsync<{ options: ResolvedOptions }> = async (scope: FastifyInstance, { options }) => {
  const deps: PasskeyDirectoryDeps = { authsignal: options.authsignal, timeoutMs: options.authsignalTimeoutMs }
  const limiter = new WindowLimiter(options.rateLimit.max, options.rateLimit.windowSeconds * 1000)
  if (!scope.hasContentTypeParser('application/x-www-form-urlencoded')) await scope.register(formbody, { bodyLimit: 1024 })

  scope.addHook('onRequest', async (request, reply) => {
    // Tokens and passkey lists are for this user, now: never cached, never referred (checklist D6).
    reply.header('cache-control', 'no-store')
    reply.header('x-content-type-options', 'nosniff')
    if (request.method !== 'GET' && request.method !== 'HEAD' && !isSameOrigin(request, options.publicOrigin)) {
      request.log.info({ event: 'passkey-enroll-refused', reason: 'cross_origin' }, 'passkey-enroll: cross-origin request refused')
      return await refuse(reply, 'cross_origin')
    }
  })

  async function refuse (reply: FastifyReply, reason: Refusal): Promise<FastifyReply> {
    return await reply.code(STATUS[reason]).send({ error: reason, message: WORDS[reason] })
  }

  /** The signed-in user, and whether their sign-in is recent enough to change authenticators (checklist A10). */
  async function whoIsHere (request: FastifyRequest): Promise<{ userId?: string, recent: boolean }> {
    const userId = await options.getUserId(request)
    if (typeof userId !== 'string' || userId === '') return { recent: false }
    // A host handing over an id that is not one URL segment is a bug: a 500, and no Authsignal call.
    checkUserId(userId)
    const authTime = await options.getAuthTime(request)
    const age = typeof authTime === 'number' ? Date.now() / 1000 - authTime : Infinity
    return { userId, recent: age >= -60 && age <= options.maxAuthAgeSeconds }
  }

  scope.post('/enrollment-token', {
    schema: {
      querystring: NO_QUERY,
      body: { type: ['object', 'null'], additionalProperties: false, maxProperties: 0 },
      response: {
        200: { type: 'object', required: ['token', 'expiresAt'], additionalProperties: false, properties: { token: { type: 'string' }, expiresAt: { type: 'string' } } },
        ...REFUSALS
      }
    }
  }, async (request, reply) => {
    const { userId, recent } = await whoIsHere(request)
    if (userId == null) return await refuse(reply, 'not_signed_in')
    if (!recent) return await refuse(reply, 'reauthentication_required')
    const wait = limiter.hit(userId)
    if (wait > 0) return await refuse(reply.header('retry-after', String(wait)), 'too_many_requests')
    let tracked
    try {
      tracked = await withDeadline('Authsignal track', options.authsignalTimeoutMs, async () => await options.authsignal.track({
        userId,
        action: options.action,
        // Only this scope lets a token add an authenticator for a user who already has one.
        attributes: { scope: 'add:authenticators' }
      }))
    } catch (error) {
      request.log.warn({ err: scrubError(error) }, 'passkey-enroll: Authsignal track failed')
      return await refuse(reply, 'unavailable')
    }
    if (typeof tracked?.token !== 'string' || tracked.token === '') {
      request.log.warn('passkey-enroll: Authsignal track answered without a token')
      return await refuse(reply, 'unavailable')
    }
    request.log.info({ event: 'enrollment-token', userId }, 'passkey-enroll: enrollment token issued')
    return { token: tracked.token, expiresAt: expiryOf(tracked.token) }
  })

  scope.get('/list', {
    schema: {
      querystring: NO_QUERY,
      response: { 200: { type: 'object', required: ['passkeys'], additionalProperties: false, properties: { passkeys: { type: 'array', items: PASSKEY } } }, ...REFUSALS }
    }
  }, async (request, reply) => {
    const { userId } = await whoIsHere(request)
    if (userId == null) return await refuse(reply, 'not_signed_in')
    try {
      return { passkeys: await listPasskeys(deps, userId) }
    } catch (error) {
      request.log.warn({ err: scrubError(error) }, 'passkey-enroll: Authsignal getAuthenticators failed')
      return await refuse(reply, 'unavailable')
    }
  })

  // A server-rendered form posts here; the answer is a 303 back to the page with a status it can say in words.
  scope.post<{ Params: { id: string } }>('/:id/remove', {
    schema: {
      params: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' } } },
      querystring: NO_QUERY,
      body: { type: ['object', 'null'], maxProperties: 4, additionalProperties: { type: 'string', maxLength: 64 } },
      response: REFUSALS
    }
  }, async (request, reply) => {
    const back = (status: string): string => `${options.returnTo}?status=${status}`
    const { userId, recent } = await whoIsHere(request)
    if (userId == null) return await reply.redirect(back('not_signed_in'), 303)
    if (!recent) return await reply.redirect(back('reauthentication_required'), 303)
    try {
      const result = await removePasskey(deps, userId, request.params.id)
      request.log.info({ event: 'passkey-removed', userId, result }, 'passkey-enroll: passkey removal')
      return await reply.redirect(back(result), 303)
    } catch (error) {
      request.log.warn({ err: scrubError(error) }, 'passkey-enroll: Authsignal passkey removal failed')
      return await reply.redirect(back('unavailable'), 303)
    }
  })
}
