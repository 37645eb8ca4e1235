// The demo identity provider: Fastify + oidc-provider (mounted through @fastify/middie) + eta views +
// the passkey-login plugin. `build()` never listens; server.ts does.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import middie from '@fastify/middie'
import fastifyView from '@fastify/view'
import { Eta } from 'eta'
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import type { JWK } from 'jose'
import type Provider from 'oidc-provider'
import type { KoaContextWithOIDC } from 'oidc-provider'
import { negotiateLanguage, sameOriginGuard, scrubError, type Language } from 'fastify-passkey-core'
import passkeyLogin, {
  authorizationRateLimit, createAuthsignalClient, createOidcAdapter, scrubbedLogger, securityHeaders, stylesheetUrl, type PasskeyLoginOptions
} from 'fastify-passkey-login'
import { REDIS_CLIENT_OPTIONS } from 'fastify-passkey-core'
import { Redis } from 'ioredis'
import { createAccountDirectory, DEMO_ACCOUNTS, type AccountSeed } from './accounts.js'
import { createProvider, INTERACTION_PATH, OIDC_ROUTES, type IdpClient } from './provider.js'
import { weakSecretsProblem, type SecretSetting } from '../shared/env.js'
import { allowedHostsFor, hostCheck, parseHost } from '../shared/hosts.js'
import { cspSources } from './security-headers.js'
import { around, fill, messagesFor, oidcErrorKey, pageWords, type Messages } from '../shared/i18n.js'

export type { IdpClient } from './provider.js'

export interface IdpOptions {
  /** Origin, e.g. 'http://localhost:5001'; the OIDC issuer is exactly this. */
  issuer: string
  clients: IdpClient[]
  /** `apiUrl` is also what the browser SDK uses. */
  authsignal: {
    secret: string
    tenantId: string
    apiUrl: string
    /** Origin of Authsignal's hosted challenge page, allowed as a form target. @default the origin of apiUrl */
    hostedPageOrigin?: string
  }
  /** Signing keys (private JWKs); never oidc-provider's development keys. */
  jwks: { keys: JWK[] }
  /** oidc-provider cookie signing keys (first signs, all verify), at least 32 characters each. */
  cookieKeys: string[]
  /** Fastify logger option; serializers that mask tokens and secrets are always added. @default false */
  logger?: boolean | object
  /** The accounts. @default alice/alice and bob/bob */
  accounts?: AccountSeed[]
  /** Origin of the demo app, linked from the IdP's home page. */
  appOrigin?: string
  /** Settings passed through to the passkey-login plugin (stores, policy, deadlines). */
  passkeyLogin?: Partial<Pick<PasskeyLoginOptions,
  'mfaPolicy' | 'usedTokens' | 'pendingMfa' | 'authsignalTimeoutMs' | 'maxMfaFailures' | 'tokenMaxAgeSeconds' | 'usedTokenTtlSeconds' | 'actions' | 'loginView' | 'errorView' | 'rateLimit' | 'elements' | 'firstPartyClients' | 'storeTimeoutMs' | 'messages' | 'prepareSignIn'>>
  /** Behind a TLS-terminating proxy: trust X-Forwarded-For (the client's address), and check X-Forwarded-Host too. @default false */
  trustProxy?: boolean
  /**
   * Host names (`host` or `host:port`) the IdP answers for besides the issuer's (and the loopback names at the
   * issuer's port, when that is on loopback): a proxy's. Any other `Host` gets 421 (DNS rebinding). @default []
   */
  allowedHosts?: string[]
  /** Lifetimes. @default interaction 1800 s, session 86400 s */
  ttl?: { interactionSeconds?: number, sessionSeconds?: number }
  /**
   * Redis shared by every instance (a redis:// URL or an ioredis client): oidc-provider's storage, used
   * tokens, pending MFA, rate limits. Absent: bounded memory, one process. @default memory
   */
  redis?: string | Redis
  /** Prefix of every Redis key. @default 'passkey:' */
  keyPrefix?: string
  /** Authorization requests per address per minute, or per window of `timeWindowMs`. @default 60 per minute */
  authorizationLimit?: number | { max?: number, timeWindowMs?: number }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The oidc-provider instance, for tests and tools. */
    oidc: Provider
  }
}

const VIEWS_DIR = join(import.meta.dirname, 'views')
const BODY_LIMIT = 16 * 1024

export class IdpConfigError extends TypeError {
  constructor (option: string, problem: string) {
    super(`idp: option "${option}" ${problem}`)
    this.name = 'IdpConfigError'
  }
}

function absoluteUrl (option: string, value: unknown): URL {
  let url: URL
  try { url = new URL(String(value)) } catch { throw new IdpConfigError(option, `must be an absolute URL, got ${JSON.stringify(value)}`) }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new IdpConfigError(option, 'must be an http(s) URL')
  return url
}

function validate (options: IdpOptions): void {
  const issuer = absoluteUrl('issuer', options.issuer)
  if (issuer.origin !== options.issuer) throw new IdpConfigError('issuer', `must be a bare origin such as http://localhost:5001, got ${JSON.stringify(options.issuer)}`)
  if (!Array.isArray(options.clients) || options.clients.length === 0) throw new IdpConfigError('clients', 'must list at least one client')
  for (const [i, client] of options.clients.entries()) {
    if (typeof client.clientId !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(client.clientId)) throw new IdpConfigError(`clients[${i}].clientId`, 'must match [A-Za-z0-9._-]{1,64}')
    if (typeof client.clientSecret !== 'string' || client.clientSecret.length < 16) throw new IdpConfigError(`clients[${i}].clientSecret`, 'must be at least 16 characters')
    if (!Array.isArray(client.redirectUris) || client.redirectUris.length === 0) throw new IdpConfigError(`clients[${i}].redirectUris`, 'must list at least one URI')
    client.redirectUris.forEach((uri, j) => absoluteUrl(`clients[${i}].redirectUris[${j}]`, uri))
    client.postLogoutRedirectUris?.forEach((uri, j) => absoluteUrl(`clients[${i}].postLogoutRedirectUris[${j}]`, uri))
  }
  if (options.authsignal == null || typeof options.authsignal.secret !== 'string' || options.authsignal.secret.length < 8) {
    throw new IdpConfigError('authsignal.secret', 'must be a string of at least 8 characters')
  }
  absoluteUrl('authsignal.apiUrl', options.authsignal.apiUrl)
  if (options.authsignal.hostedPageOrigin != null) absoluteUrl('authsignal.hostedPageOrigin', options.authsignal.hostedPageOrigin)
  if (!Array.isArray(options.jwks?.keys) || options.jwks.keys.length === 0 || options.jwks.keys.some(key => typeof key.d !== 'string')) {
    throw new IdpConfigError('jwks', 'must hold at least one private signing key (without it oidc-provider would sign with its public development keys)')
  }
  if (!Array.isArray(options.cookieKeys) || options.cookieKeys.length === 0 || options.cookieKeys.some(key => typeof key !== 'string' || key.length < 32)) {
    throw new IdpConfigError('cookieKeys', 'must hold at least one key of at least 32 characters')
  }
  if (options.allowedHosts != null && (!Array.isArray(options.allowedHosts) || options.allowedHosts.some(h => typeof h !== 'string' || parseHost(h) == null))) {
    throw new IdpConfigError('allowedHosts', 'must list host names or host:port (no scheme, path or wildcard)')
  }
}


/** Methods that change nothing (RFC 9110 §9.2.1); every other request must come from a page of the issuer. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * oidc-provider's back-channel endpoints: each authenticates its caller itself (client credentials, or the
 * bearer token at userinfo) and reads no browser cookie, and servers calling them send no `Origin`. The one
 * exception to the same-origin rule, and for POST only (issue 12, finding 2).
 */
const CLIENT_AUTHENTICATED = new Set([
  OIDC_ROUTES.token, OIDC_ROUTES.introspection, OIDC_ROUTES.revocation, OIDC_ROUTES.pushed_authorization_request, OIDC_ROUTES.registration,
  OIDC_ROUTES.device_authorization, OIDC_ROUTES.backchannel_authentication, OIDC_ROUTES.userinfo
].map(path => path.toUpperCase()))

/**
 * The URL oidc-provider is handed for a request URL, or null when the path is not its own. The issuer is
 * the bare origin, so discovery is at /.well-known/openid-configuration; /oidc/.well-known/openid-configuration
 * is an alias.
 */
function providerUrl (url: string): string | null {
  const q = url.indexOf('?')
  const path = q === -1 ? url : url.slice(0, q)
  if (path === '/oidc/.well-known/openid-configuration') return `/.well-known/openid-configuration${q === -1 ? '' : url.slice(q)}`
  if (path.startsWith('/oidc/') || path === '/.well-known/openid-configuration' || path === '/.well-known/oauth-authorization-server') return url
  return null
}

/**
 * Whether oidc-provider's router resolves this request to one of its client-authenticated endpoints. The
 * router (lib/helpers/router.js) upper-cases the path before looking it up, and looks again without one
 * trailing slash; it neither decodes nor collapses a static path. Only a plain path qualifies here — no
 * empty, `.` or `..` segment, no percent-encoding, `;`, `#` or non-ASCII — so what is exempt is exactly
 * what the router hands to those endpoints, and any other spelling stays under the same-origin rule.
 */
export function isClientAuthenticatedRequest (method: string, url: string): boolean {
  if (method !== 'POST') return false
  const target = providerUrl(url)
  if (target == null) return false
  const q = target.indexOf('?')
  const path = q === -1 ? target : target.slice(0, q)
  if (!/^(?:\/[A-Za-z0-9_~-][A-Za-z0-9_.~-]*)+\/?$/.test(path)) return false
  const folded = path.toUpperCase()
  return CLIENT_AUTHENTICATED.has(folded) || (folded.endsWith('/') && CLIENT_AUTHENTICATED.has(folded.slice(0, -1)))
}

/**
 * Every request is seen as one for the issuer (issue 12, finding 3): `Host`, and `X-Forwarded-Host` and
 * `X-Forwarded-Proto` (which oidc-provider reads, in Koa's proxy mode), are set from the issuer, so every
 * URL it builds — discovery, JWKS, resume and logout redirects — comes from the issuer alone, whatever the
 * request said. `X-Forwarded-For` stays only behind a trusted proxy.
 */
function asIssuer (issuer: string, trustProxy: boolean): (request: FastifyRequest) => Promise<void> {
  const { host, protocol } = new URL(issuer)
  const proto = protocol.slice(0, -1)
  return async function seenAsIssuer (request) {
    const headers = request.raw.headers
    headers.host = host
    headers['x-forwarded-host'] = host
    headers['x-forwarded-proto'] = proto
    delete headers.forwarded
    if (!trustProxy) delete headers['x-forwarded-for']
  }
}

/** oidc-provider's Koa app, for the paths that are its own (providerUrl). */
function providerMiddleware (provider: Provider): (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void {
  const callback = provider.callback()
  return (req, res, next) => {
    const target = providerUrl(req.url ?? '/')
    if (target == null) {
      next()
      return
    }
    if (target !== req.url) {
      req.url = target
      // oidc-provider takes the part of originalUrl before url for a mount path (oidc_context.js).
      ;(req as IncomingMessage & { originalUrl?: string }).originalUrl = target
    }
    void callback(req, res)
  }
}

/** oidc-provider's pages (sign-out, signed out, errors) in the visitor's language, varying by Accept-Language. */
function koaWords (ctx: KoaContextWithOIDC): { lang: Language, text: Messages } {
  const lang = negotiateLanguage(ctx.get('accept-language'))
  ctx.vary('accept-language')
  return { lang, text: messagesFor(lang) }
}

/** The option each † setting arrives as. */
const OPTION_OF: Partial<Record<SecretSetting, string>> = { AUTHSIGNAL_SECRET: 'authsignal.secret', IDP_JWKS: 'jwks', IDP_COOKIE_KEYS: 'cookieKeys', DEMO_CLIENT_SECRET: 'clients[].clientSecret' }

export async function build (options: IdpOptions): Promise<FastifyInstance> {
  validate(options)
  if (process.env.NODE_ENV === 'production') {
    // The environment's rule for options given in code too (issue 12, finding 4): no published or weak secret.
    for (const client of options.clients) {
      const problem = await weakSecretsProblem({ AUTHSIGNAL_SECRET: options.authsignal.secret, IDP_JWKS: options.jwks, IDP_COOKIE_KEYS: options.cookieKeys, DEMO_CLIENT_SECRET: client.clientSecret })
      if (problem != null) throw new IdpConfigError(OPTION_OF[problem.setting] ?? problem.setting, `${problem.reason} (NODE_ENV=production)`)
    }
  }
  const issuer = options.issuer
  const app = Fastify({
    logger: scrubbedLogger(options.logger),
    bodyLimit: BODY_LIMIT,
    requestTimeout: 30_000,
    connectionTimeout: 30_000,
    return503OnClosing: true,
    trustProxy: options.trustProxy ?? false
  })
  // Before anything else (issue 12, finding 3): another host name is a 421 (DNS rebinding), and what passes
  // is seen as a request for the issuer.
  app.addHook('onRequest', hostCheck({ allowed: allowedHostsFor(issuer, options.allowedHosts ?? []), trustProxy: options.trustProxy === true, setting: 'IDP_ALLOWED_HOSTS' }))
  app.addHook('onRequest', asIssuer(issuer, options.trustProxy === true))

  const accounts = await createAccountDirectory(options.accounts ?? DEMO_ACCOUNTS)
  // One Redis connection for everything this instance shares with the others (or bounded memory).
  const redis = typeof options.redis === 'string' ? new Redis(options.redis, REDIS_CLIENT_OPTIONS) : options.redis
  if (typeof options.redis === 'string') {
    redis?.on('error', (error: Error) => { app.log.warn({ err: scrubError(error) }, 'idp: Redis connection error') })
    app.addHook('onClose', async () => { redis?.disconnect() })
  }
  const keyPrefix = options.keyPrefix ?? 'passkey:'
  const adapter = createOidcAdapter(redis != null ? { redis, keyPrefix } : {})
  app.addHook('onClose', async () => { await adapter.close() })
  const authsignal = createAuthsignalClient({ secret: options.authsignal.secret, apiUrl: options.authsignal.apiUrl })
  const stylesheet = stylesheetUrl()

  // The host's own views: `reply.view` / `app.view`, next to the plugin's `passkeyLoginView`.
  await app.register(fastifyView, { engine: { eta: new Eta({ autoEscape: true, autoTrim: [false, 'nl'] }) }, root: VIEWS_DIR })

  const provider = createProvider({
    issuer,
    clients: options.clients,
    jwks: options.jwks,
    cookieKeys: options.cookieKeys,
    accounts,
    trustProxy: options.trustProxy,
    ttl: options.ttl,
    adapter,
    pages: {
      async error (ctx, out) {
        // The page says what went wrong in the visitor's words; the code stays for whoever debugs it.
        const { lang, text } = koaWords(ctx)
        return await app.view('oidc-error', { stylesheet, lang, text, error: out.error, message: text[oidcErrorKey(out.error)], code: around(text.oidcErrorCode, 'code') })
      },
      async logout (ctx, form) {
        // The form oidc-provider builds is rebuilt from its two values, so no raw HTML is rendered.
        const action = /action="([^"]+)"/.exec(form)?.[1]
        const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1]
        if (action == null || xsrf == null) throw new Error('idp: unexpected logout form from oidc-provider')
        const { lang, text } = koaWords(ctx)
        const clientName = ctx.oidc.client?.clientName
        return await app.view('logout', { stylesheet, lang, text, action, xsrf, question: clientName != null ? fill(text.logoutQuestionOf, { client: clientName }) : text.logoutQuestion })
      },
      async loggedOut (ctx) {
        const { lang, text } = koaWords(ctx)
        const clientName = ctx.oidc.client?.clientName
        return await app.view('logged-out', { stylesheet, lang, text, message: clientName != null ? fill(text.loggedOutOf, { client: clientName }) : text.loggedOut })
      }
    }
  })
  // Koa's proxy mode, always: the X-Forwarded-Host and -Proto it reads are the issuer's (asIssuer).
  provider.proxy = true
  app.decorate('oidc', provider)

  // oidc-provider's own failures, scrubbed; protocol errors caused by clients are routine.
  provider.on('server_error', (_ctx, error) => { app.log.error({ error: scrubError(error) }, 'oidc-provider: server error') })
  const onEvent = provider.on.bind(provider) as (event: string, listener: (ctx: unknown, error: unknown) => void) => unknown
  for (const event of ['authorization.error', 'grant.error', 'end_session.error', 'userinfo.error', 'discovery.error', 'jwks.error']) {
    onEvent(event, (_ctx, error) => { app.log.info({ error: scrubError(error) }, `oidc-provider: ${event}`) })
  }

  // Before middie, so oidc-provider's responses carry the headers too (F9, D3–D5). The plugin's login page
  // sets its own, narrower CSP.
  await app.register(securityHeaders, {
    csp: cspSources({ apiUrl: options.authsignal.apiUrl, hostedPageOrigin: options.authsignal.hostedPageOrigin, clients: options.clients }),
    hsts: new URL(issuer).protocol === 'https:'
  })
  // Deny by default (checklist C1; issue 12, finding 2): every state-changing request — to the plugin's
  // routes, to oidc-provider's browser endpoints (the sign-out confirmation) under any spelling its router
  // accepts, to paths that answer 404 — must come from a page of the issuer. Before middie, so it holds for
  // oidc-provider too. The exception: the back-channel endpoints that authenticate their client.
  const sameOrigin = sameOriginGuard(issuer)
  app.addHook('onRequest', async function idpSameOrigin (request, reply) {
    if (SAFE_METHODS.has(request.method) || isClientAuthenticatedRequest(request.method, request.url)) return
    await sameOrigin.call(this, request, reply)
  })

  // Anonymous authorization requests per address, before oidc-provider stores an interaction for each.
  const limit = typeof options.authorizationLimit === 'number' ? { max: options.authorizationLimit } : options.authorizationLimit
  await app.register(authorizationRateLimit, { paths: [OIDC_ROUTES.authorization], max: limit?.max ?? 60, ...(limit?.timeWindowMs != null ? { timeWindowMs: limit.timeWindowMs } : {}), backend: adapter.backend })
  await app.register(middie)
  app.use(providerMiddleware(provider))

  await app.register(passkeyLogin, {
    // Every client of the demo is its own: consent is implied (oidc-provider's consent prompt is finished).
    firstPartyClients: options.clients.map(client => client.clientId),
    // A token is submitted seconds after its ceremony; a minute (not the plugin's five) bounds how long one
    // minted before its passkey was deleted stays usable (docs/security.md, "A deleted passkey's unused token").
    tokenMaxAgeSeconds: 60,
    ...options.passkeyLogin,
    provider,
    authsignal,
    ...(redis != null ? { redis, keyPrefix } : {}),
    tenantId: options.authsignal.tenantId,
    apiUrl: options.authsignal.apiUrl,
    accounts,
    routePrefix: INTERACTION_PATH,
    publicOrigin: issuer,
    ...(options.authsignal.hostedPageOrigin != null ? { hostedPageOrigin: options.authsignal.hostedPageOrigin } : {})
  })

  app.get('/', async (request, reply) => {
    const { lang, text } = pageWords(request, reply)
    return await reply.view('index', {
      stylesheet,
      lang,
      text,
      appOrigin: options.appOrigin,
      discovery: `${issuer}/.well-known/openid-configuration`,
      discoveryLabel: around(text.idpDiscovery, 'url')
    })
  })

  // Pages declare no icon (`data:`), but browsers may still ask.
  app.get('/favicon.ico', async (_request, reply) => await reply.code(204).header('cache-control', 'public, max-age=86400').send())

  // Generic answers: Fastify's defaults would echo the URL or an internal message (checklist F7).
  app.setNotFoundHandler(async (_request, reply) => await reply.code(404).type('text/plain; charset=utf-8').send('Not found'))
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const status = error.statusCode != null && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
    if (status === 500) request.log.error({ error: scrubError(error) }, 'idp: request failed')
    const text = status === 500 ? 'Something went wrong.' : error.code === 'FST_PASSKEY_CROSS_ORIGIN' ? 'This form was submitted from another site.' : 'Bad request.'
    return await reply.code(status).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(text)
  })

  return app
}
