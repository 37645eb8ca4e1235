// fastify-passkey-login: password + Authsignal MFA and passkey sign-in for the login prompt of an
// oidc-provider identity provider, and implied consent for the host's first-party clients. Encapsulated:
// its view engine, body parser, hooks and error handler never leak into the host. It constructs no
// infrastructure; the provider, the Authsignal client and the account lookups come in as options.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import formbody from '@fastify/formbody'
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import {
  INTERACTION_UID, SECURITY_HEADERS_PLUGIN, classifyError, elementTags, registerRateLimits, sameOriginGuard, scrubError,
  securityHeaders, serveElements, strictValidatorCompiler, type TooManyRequestsError
} from 'fastify-passkey-core'
import fp from 'fastify-plugin'
import { errors as oidcErrors } from 'oidc-provider'
import * as pluginErrors from './errors.js'
import { createInteractions, wordsFor } from './interaction.js'
import { type MessageKey } from './messages.js'
import { DEFAULT_ASSETS_PREFIX, resolveOptions, type PasskeyLoginOptions } from './options.js'
import { registerPages } from './pages.js'
import { loginPage } from './routes/login-page.js'
import { mfaReturnRoute } from './routes/mfa-return.js'
import { passkeyRoute } from './routes/passkey.js'
import { passwordRoute } from './routes/password.js'
import { BODY_LIMIT, type RouteContext } from './routes/shared.js'

export type {
  AccountHooks, AuthsignalClient, ErrorPageData, FirstPartyClients, LoginPageData, MfaPolicy, PasskeyLoginAccount, PasskeyLoginOptions, RenderFunction
} from './options.js'
export { acceptToken, type Acceptance, type AcceptTokenDeps, type Expectation, type RejectReason } from './accept-token.js'
export { decidePasswordStep, type PasswordDecision } from './password-decision.js'
export { MemoryPendingMfaStore, PENDING_MFA_KIND, pendingMfaStore, type PendingMfa, type PendingMfaStore } from './pending-mfa.js'
export { MESSAGES, TRANSLATIONS, messagesFor, type MessageKey, type Messages } from './messages.js'
export { createOidcAdapter, type OidcAdapterFactory, type OidcAdapterOptions } from './oidc-adapter.js'
export { authorizationRateLimit, type AuthorizationLimitOptions } from './authorization-limit.js'
// What a host of this plugin needs from the core, so one package is enough.
export {
  LANGUAGES, MemoryBackend, MemoryUsedTokenStore, RedisBackend, negotiateLanguage, contentSecurityPolicy, createAuthsignalClient, createStoreBackend, usedTokenStore, isSameOrigin, logSerializers, sameOriginGuard, scrubbedLogger, securityHeaders,
  type AuthsignalClientOptions, type CspSources, type ElementsOptions, type SecurityHeadersOptions, type Language, type StoreBackend, type StoreOptions, type UsedTokenStore
} from 'fastify-passkey-core'
export const errors = pluginErrors

const STYLESHEET = readFileSync(join(import.meta.dirname, '..', 'assets', 'login.css'))
const STYLESHEET_VERSION = createHash('sha256').update(STYLESHEET).digest('base64url').slice(0, 12)

/** URL of the plugin's stylesheet (versioned, cached for a year), for a host's own pages to share. */
export const stylesheetUrl = (assetsPrefix: string = DEFAULT_ASSETS_PREFIX): string =>
  `${assetsPrefix.endsWith('/') ? assetsPrefix : `${assetsPrefix}/`}login.css?v=${STYLESHEET_VERSION}`

/** Errors whose page offers "try again" on the same interaction. */
const RETRYABLE = new Set(['crossOrigin', 'tooMany', 'invalid', 'unexpected', 'unavailable'])

const passkeyLogin: FastifyPluginAsync<PasskeyLoginOptions> = async (fastify: FastifyInstance, opts) => {
  const options = resolveOptions(opts)
  fastify.addHook('onClose', async () => { await options.backend.close() })
  const basePath = `${fastify.prefix}${options.routePrefix === '/' ? '' : options.routePrefix}`

  // The header policy for the plugin's own answers, unless the host applies it already (D3–D6).
  if (!fastify.hasPlugin(SECURITY_HEADERS_PLUGIN)) {
    await fastify.register(securityHeaders, { csp: {}, hsts: options.publicOrigin.startsWith('https:') })
  }
  // Bodies as sent: unknown fields refused, nothing coerced (Fastify's defaults strip them silently).
  fastify.setValidatorCompiler(strictValidatorCompiler())

  if (options.elements.serve) serveElements(fastify, options.elements.prefix)
  const elementsBase = options.elements.serve ? `${fastify.prefix}${options.elements.prefix}` : options.elements.base
  const stylesheet = options.stylesheet ?? stylesheetUrl(`${fastify.prefix}${options.assetsPrefix}`)
  const assets = {
    tags: elementTags(elementsBase, ['passkey-input', 'passkey-signin-button']),
    stylesheet,
    scriptOrigins: /^https?:/.test(elementsBase) ? [new URL(elementsBase).origin] : []
  }

  if (options.stylesheet == null) {
    fastify.get(`${options.assetsPrefix}login.css`, {
      schema: { querystring: { type: 'object', additionalProperties: false, properties: { v: { type: 'string', maxLength: 32 } } } }
    }, async (_request, reply) => await reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(STYLESHEET))
  }

  const pages = await registerPages(fastify, { login: options.loginView, error: options.errorView })

  // Our own handler: Fastify's default one would send error messages to the browser (F7).
  fastify.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { status, messageKey, expected } = error instanceof oidcErrors.OIDCProviderError
      ? { status: 400, messageKey: 'expired', expected: false }
      : classifyError(error)
    if (expected) request.log.info({ err: scrubError(error) }, 'passkey-login: request refused')
    else request.log.error({ err: scrubError(error) }, 'passkey-login: request failed')
    const uid = (request.params as { uid?: unknown } | undefined)?.uid
    const retryUrl = RETRYABLE.has(messageKey) && typeof uid === 'string' && INTERACTION_UID.test(uid) ? `${basePath}/${uid}` : undefined
    const retryAfter = (error as Partial<TooManyRequestsError>).retryAfterSeconds
    if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter))
    reply.code(status).header('cache-control', 'no-store')
    const { lang, text } = wordsFor(options, request, reply)
    return await pages.error(request, reply, {
      lang,
      text,
      title: options.title ?? text.title,
      stylesheet,
      message: text[messageKey as MessageKey] ?? text.unexpected,
      ...(retryUrl != null ? { retryUrl } : {}),
      requestId: String(request.id)
    })
  })

  await fastify.register(async scope => {
    // Only forms reach these routes; no JSON (a cross-origin JSON POST would need CORS anyway).
    scope.removeAllContentTypeParsers()
    await scope.register(formbody, { bodyLimit: BODY_LIMIT })
    scope.addHook('onRequest', async (_request, reply) => {
      // Pages and redirects here carry interaction state and, on the MFA return, a token in the URL.
      reply.header('cache-control', 'no-store')
      reply.header('pragma', 'no-cache')
    })
    // Login CSRF (C1, A6): only our own pages may post here.
    scope.addHook('onRequest', sameOriginGuard(options.publicOrigin))
    let passwordLimit
    if (options.rateLimit !== false) {
      // Anti-automation (E1): every route per address; password attempts also per username.
      const keyed = await registerRateLimits(scope, options.rateLimit, 'passkey-login', options.backend)
      passwordLimit = keyed('username', { max: options.rateLimit.passwordMax, timeWindowMs: options.rateLimit.timeWindowMs })
    }
    const context: RouteContext = { options, interactions: createInteractions(options, pages, basePath, assets), passwordLimit }
    for (const route of [loginPage, passwordRoute, mfaReturnRoute, passkeyRoute]) route(scope, context)
  }, { prefix: options.routePrefix })
}

export default fp(passkeyLogin, {
  name: 'fastify-passkey-login',
  fastify: '5.x',
  // Encapsulated: the view engine, form parser, hooks and error handler stay inside the plugin.
  encapsulate: true
})
export { passkeyLogin }
