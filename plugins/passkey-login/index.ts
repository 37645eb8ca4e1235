// passkey-login: password + Authsignal MFA and passkey sign-in for the login prompt of an oidc-provider
// identity provider. The plugin is encapsulated: its view engine, body parser, hooks and error handler
// never leak into the host. It constructs no infrastructure; the provider, the Authsignal client and
// the account lookups come in as options.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { errors as oidcErrors } from 'oidc-provider'
import { elementScripts, registerElements } from '../shared/elements.js'
import { scrubError } from '../shared/scrub.js'
import * as pluginErrors from './errors.js'
import { DEFAULT_ASSETS_PREFIX, resolveOptions, type PasskeyLoginOptions } from './options.js'
import { registerPages, type Pages } from './pages.js'
import { interactionRoutes } from './routes.js'

export type {
  AccountHooks, AuthsignalClient, ErrorPageData, LoginPageData, MfaPolicy, PasskeyLoginAccount, PasskeyLoginOptions, RenderFunction
} from './options.js'
export { acceptToken, type Acceptance, type Expectation, type RejectReason } from './accept-token.js'
export { MemoryPendingMfaStore, type PendingMfa, type PendingMfaStore } from './pending-mfa-store.js'
export { MemoryUsedTokenStore, type UsedTokenStore } from './used-token-store.js'
export { MESSAGES } from './routes.js'
export const errors = pluginErrors

const STYLESHEET = readFileSync(join(import.meta.dirname, 'login.css'))
const STYLESHEET_VERSION = createHash('sha256').update(STYLESHEET).digest('base64url').slice(0, 12)

/** URL of the plugin's stylesheet (versioned, cached for a year), for a host's own pages to share. */
export const stylesheetUrl = (assetsPrefix: string = DEFAULT_ASSETS_PREFIX): string =>
  `${assetsPrefix.endsWith('/') ? assetsPrefix : `${assetsPrefix}/`}login.css?v=${STYLESHEET_VERSION}`

const ERROR_MESSAGES = {
  expired: 'This sign-in request has expired or was started in another browser. Go back to the application and sign in again.',
  invalid: 'The request was not valid. Please try again.',
  crossOrigin: 'This form was submitted from another site. Please sign in from this page.',
  unsupported: 'This sign-in request cannot be completed here. Go back to the application and try again.',
  unexpected: 'Something went wrong on our side. Please try again.',
  tooMany: 'Too many sign-in attempts. Please wait a few minutes and try again.'
} as const

function errorPage (error: FastifyError): { status: number, message: string, retry: boolean, log: boolean } {
  if (error instanceof pluginErrors.FST_PASSKEY_LOGIN_INTERACTION_NOT_FOUND) return { status: 400, message: ERROR_MESSAGES.expired, retry: false, log: false }
  if (error instanceof pluginErrors.FST_PASSKEY_LOGIN_UNSUPPORTED_PROMPT) return { status: 400, message: ERROR_MESSAGES.unsupported, retry: false, log: false }
  if (error instanceof pluginErrors.FST_PASSKEY_LOGIN_CROSS_ORIGIN) return { status: 403, message: ERROR_MESSAGES.crossOrigin, retry: true, log: false }
  if (error instanceof pluginErrors.FST_PASSKEY_LOGIN_TOO_MANY_REQUESTS) return { status: 429, message: ERROR_MESSAGES.tooMany, retry: true, log: false }
  if (error instanceof oidcErrors.OIDCProviderError) return { status: 400, message: ERROR_MESSAGES.expired, retry: false, log: true }
  if (error.validation != null) return { status: 400, message: ERROR_MESSAGES.invalid, retry: true, log: false }
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) return { status, message: ERROR_MESSAGES.invalid, retry: true, log: false }
  return { status: 500, message: ERROR_MESSAGES.unexpected, retry: true, log: true }
}

const passkeyLogin: FastifyPluginAsync<PasskeyLoginOptions> = async (fastify: FastifyInstance, opts) => {
  const options = resolveOptions(opts)
  const basePath = `${fastify.prefix}${options.routePrefix === '/' ? '' : options.routePrefix}`
  const assetsPath = `${fastify.prefix}${options.assetsPrefix}`
  const elementsPath = `${fastify.prefix}${options.elementsPrefix}`

  if (options.serveElements) registerElements(fastify, { prefix: options.elementsPrefix })
  const { scripts, preloads } = elementScripts(elementsPath, ['passkey-input', 'passkey-signin-button'])
  const stylesheet = options.stylesheet ?? stylesheetUrl(assetsPath)

  if (options.stylesheet == null) {
    fastify.get(`${options.assetsPrefix}login.css`, {
      schema: { querystring: { type: 'object', properties: { v: { type: 'string', maxLength: 32 } } } }
    }, async (_request, reply) => {
      return await reply
        .type('text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .send(STYLESHEET)
    })
  }

  const pages: Pages = await registerPages(fastify, { login: options.loginView, error: options.errorView })

  // Our own handler: Fastify's default one would send error messages to the browser (checklist F7).
  fastify.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const page = errorPage(error)
    if (page.log) request.log.error({ error: scrubError(error) }, 'passkey-login: request failed')
    else request.log.info({ error: scrubError(error) }, 'passkey-login: request refused')
    const uid = (request.params as { uid?: unknown } | undefined)?.uid
    const retryUrl = page.retry && typeof uid === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(uid) ? `${basePath}/${uid}` : undefined
    reply
      .code(page.status)
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
    return await pages.error(request, reply, {
      title: options.title,
      stylesheet,
      message: page.message,
      ...(retryUrl != null ? { retryUrl } : {}),
      requestId: String(request.id)
    })
  })

  await fastify.register(interactionRoutes, {
    prefix: options.routePrefix,
    options,
    pages,
    basePath,
    assets: { scripts, preloads, stylesheet }
  })
}

export default fp(passkeyLogin, {
  name: 'passkey-login',
  fastify: '5.x',
  // Encapsulated: the view engine, form parser, hooks and error handler stay inside the plugin.
  encapsulate: true
})
export { passkeyLogin }
