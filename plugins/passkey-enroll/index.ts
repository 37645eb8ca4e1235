// fastify-passkey-enroll: lets the signed-in user of any Fastify app add passkeys (an enrollment token for
// <passkey-enroll>), list them and remove one, through Authsignal. The routes, their hooks, body parser and
// error handler live in a scope of their own; the host gets one decorator, `passkeyEnroll` (the recency
// rule, the list, removal, and what a page needs to render the element). It constructs no infrastructure.
import formbody from '@fastify/formbody'
import type { FastifyError, FastifyInstance, FastifyPluginAsync } from 'fastify'
import {
  SECURITY_HEADERS_PLUGIN, classifyError, registerRateLimits, sameOriginGuard, scrubError, securityHeaders, serveElements,
  strictValidatorCompiler, type TooManyRequestsError
} from 'fastify-passkey-core'
import fp from 'fastify-plugin'
import { createPasskeyApi, type PasskeyEnrollApi } from './api.js'
import * as pluginErrors from './errors.js'
import { MESSAGES, REFUSAL_CODES, type MessageKey } from './messages.js'
import { resolveOptions, type PasskeyEnrollOptions } from './options.js'
import { enrollmentTokenRoute } from './routes/enrollment-token.js'
import { listRoute } from './routes/list.js'
import { removeRoute } from './routes/remove.js'
import type { RouteContext } from './routes/shared.js'

export type { AuthsignalEnrollClient, PasskeyEnrollOptions } from './options.js'
export type { PasskeyEnrollApi, SignInState } from './api.js'
export type { PasskeySummary } from './passkeys.js'
export type { RemovalStatus } from './routes/remove.js'
export { MESSAGES, REFUSAL_CODES, type MessageKey } from './messages.js'
// What a host of this plugin needs from the core, so one package is enough.
export {
  MemoryBackend, RedisBackend, contentSecurityPolicy, createAuthsignalClient, createStoreBackend, isSameOrigin, logSerializers, sameOriginGuard, scrubbedLogger, securityHeaders,
  type AuthsignalClientOptions, type CspSources, type ElementsOptions, type ElementTags, type SecurityHeadersOptions, type StoreBackend, type StoreOptions
} from 'fastify-passkey-core'
export const errors = pluginErrors

declare module 'fastify' {
  interface FastifyInstance {
    /** fastify-passkey-enroll: the signed-in user's passkeys, the recency rule, and the element's page data. */
    passkeyEnroll: PasskeyEnrollApi
  }
}

const passkeyEnroll: FastifyPluginAsync<PasskeyEnrollOptions> = async (fastify: FastifyInstance, opts) => {
  const options = resolveOptions(opts)
  fastify.addHook('onClose', async () => { await options.backend.close() })
  const routeBase = `${fastify.prefix}${options.routePrefix === '/' ? '' : options.routePrefix}`
  const elementsBase = options.elements.serve ? `${fastify.prefix}${options.elements.prefix}` : options.elements.base
  const api = createPasskeyApi(options, routeBase, elementsBase)
  fastify.decorate('passkeyEnroll', api)

  await fastify.register(async scope => {
    if (!scope.hasPlugin(SECURITY_HEADERS_PLUGIN)) await scope.register(securityHeaders, { csp: {}, hsts: options.publicOrigin.startsWith('https:') })
    if (options.elements.serve) serveElements(scope, options.elements.prefix)
    // Bodies as sent: no type coercion, unknown fields refused (Fastify's defaults strip them silently).
    scope.setValidatorCompiler(strictValidatorCompiler())
    // JSON answers in one shape, `{ error, message }`; never an internal message (F7).
    scope.setErrorHandler(async (error: FastifyError, request, reply) => {
      const { status, messageKey, expected } = classifyError(error)
      if (expected) request.log.info({ err: scrubError(error) }, 'passkey-enroll: request refused')
      else request.log.error({ err: scrubError(error) }, 'passkey-enroll: request failed')
      const retryAfter = (error as Partial<TooManyRequestsError>).retryAfterSeconds
      if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter))
      const key = (messageKey in MESSAGES ? messageKey : 'unexpected') as MessageKey
      return await reply.code(status).header('cache-control', 'no-store').send({ error: REFUSAL_CODES[key], message: MESSAGES[key] })
    })

    await scope.register(async routes => {
      if (!routes.hasContentTypeParser('application/x-www-form-urlencoded')) await routes.register(formbody, { bodyLimit: 1024 })
      routes.addHook('onRequest', async (_request, reply) => {
        // Tokens and passkey lists are for this user, now: never cached (D6).
        reply.header('cache-control', 'no-store')
      })
      // Same origin first, so a forged request reaches neither the session nor Authsignal (C1, C2).
      routes.addHook('onRequest', sameOriginGuard(options.publicOrigin))
      let tokenLimit
      if (options.rateLimit !== false) {
        const keyed = await registerRateLimits(routes, options.rateLimit, 'passkey-enroll', options.backend)
        tokenLimit = keyed('user', { max: options.rateLimit.tokenMax, timeWindowMs: options.rateLimit.timeWindowMs })
      }
      const context: RouteContext = { options, api, tokenLimit }
      for (const route of [enrollmentTokenRoute, listRoute, removeRoute]) route(routes, context)
    }, { prefix: options.routePrefix })
  })
}

export default fp(passkeyEnroll, { name: 'fastify-passkey-enroll', fastify: '5.x' })
export { passkeyEnroll }
