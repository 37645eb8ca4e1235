// The demo app (port 5002): an OpenID Connect relying party of the demo IdP (openid-client, code + PKCE),
// with its own sealed session cookie (@fastify/secure-session) and the passkey-enroll plugin for its
// passkeys page. `build()` never listens; server.ts does.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import formbody from '@fastify/formbody'
import secureSession from '@fastify/secure-session'
import fastifyView from '@fastify/view'
import { Eta } from 'eta'
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { isSameOrigin, sameOriginGuard, scrubError, strictValidatorCompiler } from 'fastify-passkey-core'
import passkeyEnroll, { createAuthsignalClient, scrubbedLogger, securityHeaders, type PasskeySummary } from 'fastify-passkey-enroll'
import { weakSecretsProblem } from '../shared/env.js'
import { allowedHostsFor, hostCheck, parseHost } from '../shared/hosts.js'
import { around, fill, formatDate, formatDuration, listParts, pageWords, type MessageKey } from '../shared/i18n.js'
import { RelyingParty } from './oidc.js'
import { newSessionId, RevokedSessions } from './session.js'
import { createStoreBackend, REDIS_CLIENT_OPTIONS } from 'fastify-passkey-core'
import { Redis } from 'ioredis'

export interface ClientAppOptions {
  /** The app's origin, e.g. 'http://localhost:5002'. */
  origin: string
  /** The IdP's issuer (discovery happens on first use). */
  issuer: string
  clientId: string
  clientSecret: string
  /** `apiUrl` is also what the browser SDK uses. */
  authsignal: { secret: string, tenantId: string, apiUrl: string }
  /** @fastify/secure-session key: 32 bytes, base64. */
  sessionKey: string
  /** Fastify logger option; the scrubbing serializers are always added. @default false */
  logger?: boolean | object
  /** Oldest sign-in allowed to add or remove a passkey, in seconds. @default 600 */
  maxAuthAgeSeconds?: number
  /** How long a session lasts, in seconds. @default 28800 (8 hours) */
  sessionSeconds?: number
  /** Deadline for each Authsignal call, in ms. @default 3000 */
  authsignalTimeoutMs?: number
  /**
   * Host names (`host` or `host:port`) the app answers for besides its origin's (and the loopback names at its
   * port, when that is on loopback): a proxy's. Any other `Host` gets 421 (DNS rebinding). @default []
   */
  allowedHosts?: string[]
  /** Redis shared by every instance (a redis:// URL or an ioredis client): revoked sessions, rate limits. @default memory */
  redis?: string | Redis
  /** Prefix of every Redis key. @default 'passkey:' */
  keyPrefix?: string
}

export class ClientAppConfigError extends TypeError {
  constructor (option: string, problem: string) {
    super(`client app: option "${option}" ${problem}`)
    this.name = 'ClientAppConfigError'
  }
}

export const SESSION_COOKIE = 'app_session'
const VIEWS_DIR = join(import.meta.dirname, 'views')
const STYLESHEET = readFileSync(join(import.meta.dirname, 'public', 'app.css'))
const STYLESHEET_URL = `/app.css?v=${createHash('sha256').update(STYLESHEET).digest('base64url').slice(0, 12)}`
/** Where a sign-in may return to: known pages only (no open redirect). */
const RETURN_PATHS = ['/', '/passkeys'] as const
// Words by key (servers/shared/i18n.ts); a success is a status, a refusal an alert.
const PASSKEY_STATUS = {
  added: { kind: 'ok', key: 'statusAdded' },
  removed: { kind: 'ok', key: 'statusRemoved' },
  not_found: { kind: 'warn', key: 'statusNotFound' },
  // The plugin's refusals, in the words its JSON answers use (in English) and the page's language.
  reauthentication_required: { kind: 'warn', key: 'statusReauthenticate' },
  unavailable: { kind: 'warn', key: 'statusUnavailable' },
  not_signed_in: { kind: 'warn', key: 'statusNotSignedIn' }
} as const satisfies Record<string, { kind: 'ok' | 'warn', key: MessageKey }>
/** The demo accounts the signed-out home page names (username, password). */
const DEMO_ACCOUNTS = [['alice', 'alice'], ['bob', 'bob']] as const

/** Pages without parameters still bound what they are sent; stray parameters (a link's tracking tags) are ignored. */
const ANY_QUERY = { type: 'object', maxProperties: 16, additionalProperties: { type: 'string', maxLength: 256 } } as const

function validate (options: ClientAppOptions): void {
  if (options == null || typeof options !== 'object') throw new ClientAppConfigError('options', 'must be an object')
  for (const name of ['origin', 'issuer'] as const) {
    let url: URL
    try { url = new URL(options[name]) } catch { throw new ClientAppConfigError(name, 'must be an http(s) origin') }
    if (!/^https?:$/.test(url.protocol) || url.origin !== options[name]) throw new ClientAppConfigError(name, 'must be a bare http(s) origin such as https://app.example.com')
  }
  if (options.allowedHosts != null && (!Array.isArray(options.allowedHosts) || options.allowedHosts.some(h => typeof h !== 'string' || parseHost(h) == null))) {
    throw new ClientAppConfigError('allowedHosts', 'must list host names or host:port (no scheme, path or wildcard)')
  }
  if (typeof options.clientId !== 'string' || options.clientId === '') throw new ClientAppConfigError('clientId', 'is required')
  if (typeof options.clientSecret !== 'string' || options.clientSecret.length < 16) throw new ClientAppConfigError('clientSecret', 'must be at least 16 characters')
  if (typeof options.sessionKey !== 'string' || Buffer.from(options.sessionKey, 'base64').length !== 32) throw new ClientAppConfigError('sessionKey', 'must be 32 bytes, base64-encoded')
  if (options.authsignal == null || typeof options.authsignal.secret !== 'string' || typeof options.authsignal.tenantId !== 'string' || typeof options.authsignal.apiUrl !== 'string') {
    throw new ClientAppConfigError('authsignal', 'must be { secret, tenantId, apiUrl }')
  }
}

export async function build (options: ClientAppOptions): Promise<FastifyInstance> {
  validate(options)
  if (process.env.NODE_ENV === 'production') {
    // The environment's rule for options given in code too (issue 12, finding 4): no published or weak secret.
    const problem = await weakSecretsProblem({ AUTHSIGNAL_SECRET: options.authsignal.secret, DEMO_CLIENT_SECRET: options.clientSecret, APP_SESSION_KEY: options.sessionKey })
    const option = { AUTHSIGNAL_SECRET: 'authsignal.secret', DEMO_CLIENT_SECRET: 'clientSecret', APP_SESSION_KEY: 'sessionKey', IDP_JWKS: 'jwks', IDP_COOKIE_KEYS: 'cookieKeys' } as const
    if (problem != null) throw new ClientAppConfigError(option[problem.setting], `${problem.reason} (NODE_ENV=production)`)
  }
  const { origin, issuer } = options
  const https = new URL(origin).protocol === 'https:'
  const maxAuthAgeSeconds = options.maxAuthAgeSeconds ?? 600
  const sessionSeconds = options.sessionSeconds ?? 8 * 3600
  const timeoutMs = options.authsignalTimeoutMs ?? 3000

  const app = Fastify({
    logger: scrubbedLogger(options.logger),
    bodyLimit: 16 * 1024,
    requestTimeout: 30_000,
    connectionTimeout: 30_000,
    return503OnClosing: true
  })
  // Before anything else (issue 12, finding 3): a request for another host name is a 421 (DNS rebinding).
  app.addHook('onRequest', hostCheck({ allowed: allowedHostsFor(origin, options.allowedHosts ?? []), setting: 'APP_ALLOWED_HOSTS' }))
  app.setValidatorCompiler(strictValidatorCompiler())
  // Deny by default (checklist C1; issue 12, finding 2, same class): every state-changing request, whatever
  // route it resolves to (or none), must come from a page of this origin. The app has no back-channel
  // endpoint; passkey-enroll and /logout check again on their own.
  app.addHook('onRequest', sameOriginGuard(origin))
  // The enrollment element calls Authsignal; sign-in and sign-out forms end up at the IdP.
  await app.register(securityHeaders, { csp: { connect: [options.authsignal.apiUrl], formAction: [issuer] }, hsts: https })

  // Own cookie name and key: on localhost the IdP's cookies arrive here too (checklist C4).
  await app.register(secureSession, {
    key: Buffer.from(options.sessionKey, 'base64'),
    cookieName: SESSION_COOKIE,
    expiry: sessionSeconds,
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: https }
  })
  // One Redis connection for everything this instance shares with the others (or bounded memory).
  const redis = typeof options.redis === 'string' ? new Redis(options.redis, REDIS_CLIENT_OPTIONS) : options.redis
  if (typeof options.redis === 'string') {
    redis?.on('error', (error: Error) => { app.log.warn({ err: scrubError(error) }, 'client: Redis connection error') })
    app.addHook('onClose', async () => { redis?.disconnect() })
  }
  const keyPrefix = options.keyPrefix ?? 'passkey:'
  const store = createStoreBackend(redis != null ? { redis, keyPrefix } : {})
  const revoked = new RevokedSessions(store, sessionSeconds)
  app.addHook('onRequest', async request => {
    const sid = request.session.get('sid')
    // A session cookie copied before sign-out is dead after it, on every instance (checklist C7).
    if (sid != null && await revoked.isRevoked(sid)) request.session.regenerate()
  })

  await app.register(formbody, { bodyLimit: 1024 })
  await app.register(fastifyView, { engine: { eta: new Eta({ autoEscape: true, autoTrim: [false, 'nl'] }) }, root: VIEWS_DIR })

  const authsignal = createAuthsignalClient({ secret: options.authsignal.secret, apiUrl: options.authsignal.apiUrl })
  await app.register(passkeyEnroll, {
    authsignal,
    tenantId: options.authsignal.tenantId,
    apiUrl: options.authsignal.apiUrl,
    publicOrigin: origin,
    getUserId: request => request.session.get('sub'),
    getAuthTime: request => request.session.get('authTime'),
    maxAuthAgeSeconds,
    authsignalTimeoutMs: timeoutMs,
    ...(redis != null ? { redis, keyPrefix } : {}),
    routePrefix: '/passkeys',
    returnTo: '/passkeys'
  })

  const rp = new RelyingParty({
    issuer,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUri: `${origin}/callback`,
    postLogoutRedirectUri: `${origin}/`
  })

  const userOf = (request: FastifyRequest): { sub: string, name: string } | undefined => {
    // A request refused before the session was read (a host or origin refusal) has none.
    if ((request.session as typeof request.session | null) == null) return undefined
    const sub = request.session.get('sub')
    return sub == null ? undefined : { sub, name: request.session.get('name') ?? sub }
  }
  // Every page in the visitor's language (Accept-Language; `Vary` says so): `lang` for <html lang>, `text` its words.
  const page = async (request: FastifyRequest, reply: FastifyReply, view: string, data: (words: ReturnType<typeof pageWords>) => Record<string, unknown>): Promise<FastifyReply> => {
    const words = pageWords(request, reply)
    return await reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').view(view, { stylesheet: STYLESHEET_URL, ...words, ...data(words) })
  }
  const errorPage = async (request: FastifyRequest, reply: FastifyReply, status: number, heading: MessageKey, message: MessageKey): Promise<FastifyReply> =>
    await page(request, reply.code(status), 'error', ({ text }) => ({ title: text[heading], heading: text[heading], message: text[message], user: userOf(request) }))

  app.get('/app.css', { schema: { querystring: { type: 'object', properties: { v: { type: 'string', maxLength: 32 } } } } }, async (_request, reply) =>
    await reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(STYLESHEET))
  app.get('/favicon.ico', { schema: { querystring: ANY_QUERY } }, async (_request, reply) => await reply.code(204).header('cache-control', 'public, max-age=86400').send())

  app.get('/', { schema: { querystring: ANY_QUERY } }, async (request, reply) => await page(request, reply, 'home', ({ lang, text }) => {
    const user = userOf(request)
    return {
      title: text.homeTitle,
      page: 'home',
      user,
      ...(user != null
        ? { hello: around(text.hello, 'name'), signedInAs: around(text.signedInAs, 'sub'), manage: around(text.managePasskeys, 'link') }
        : { demoAccounts: around(text.demoAccounts, 'accounts'), accounts: DEMO_ACCOUNTS, accountList: listParts(DEMO_ACCOUNTS.length, lang) })
    }
  }))

  app.get<{ Querystring: { returnTo?: typeof RETURN_PATHS[number], reauth?: '1' } }>('/login', {
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { returnTo: { enum: [...RETURN_PATHS] }, reauth: { enum: ['1'] } }
      }
    }
  }, async (request, reply) => {
    let started
    try {
      // Re-authentication: max_age=0 makes the IdP ask again and issue a fresh auth_time.
      started = await rp.start(request.query.returnTo ?? '/', request.query.reauth === '1' ? { maxAge: 0 } : {})
    } catch (error) {
      request.log.warn({ err: scrubError(error) }, 'client: the identity provider could not be reached')
      return await errorPage(request, reply, 503, 'errSignInUnavailableTitle', 'errIdpUnreachable')
    }
    request.session.set('pending', started.pending)
    return await reply.header('cache-control', 'no-store').redirect(started.url.href, 303)
  })

  const callbackField = { type: 'string', maxLength: 2048 }
  app.get<{ Querystring: { code?: string, state?: string, iss?: string, error?: string, error_description?: string } }>('/callback', {
    // The query is masked in logs (code, state) by the shared serializers.
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { code: callbackField, state: callbackField, iss: callbackField, error: callbackField, error_description: callbackField, session_state: callbackField }
      }
    }
  }, async (request, reply) => {
    const pending = request.session.get('pending')
    request.session.set('pending', undefined)
    if (pending == null || Date.now() - pending.startedAt > 30 * 60_000) {
      return await errorPage(request, reply, 400, 'errExpiredTitle', 'errExpired')
    }
    if (request.query.error != null) {
      return await errorPage(request, reply, 400, 'errNotSignedInTitle', request.query.error === 'access_denied' ? 'errCancelled' : 'errIdpRefused')
    }
    let signedIn
    try {
      signedIn = await rp.finish(new URL(request.url, origin), pending)
    } catch (error) {
      request.log.warn({ err: scrubError(error) }, 'client: the sign-in response was refused')
      return await errorPage(request, reply, 400, 'errNotSignedInTitle', 'errNotCompleted')
    }
    // A new session for a new sign-in: nothing planted before it survives (checklist C3).
    request.session.regenerate()
    request.session.set('sid', newSessionId())
    request.session.set('sub', signedIn.sub)
    request.session.set('name', signedIn.name)
    request.session.set('authTime', signedIn.authTime)
    request.session.set('idToken', signedIn.idToken)
    request.log.info({ event: 'signed-in', sub: signedIn.sub }, 'client: signed in')
    return await reply.redirect(pending.returnTo, 303)
  })

  app.post('/logout', { schema: { body: { type: ['object', 'null'], maxProperties: 0 } } }, async (request, reply) => {
    if (!isSameOrigin(request, origin)) return await errorPage(request, reply, 403, 'errNotSignedOutTitle', 'errCrossSite')
    const idToken = request.session.get('idToken')
    const sid = request.session.get('sid')
    if (sid != null) await revoked.revoke(sid)
    request.session.regenerate()
    // RP-initiated logout: the IdP ends its session too, then sends the browser back to the home page.
    const endSession = await rp.endSessionUrl(idToken)
    return await reply.header('cache-control', 'no-store').redirect(endSession?.href ?? '/', 303)
  })

  app.get<{ Querystring: { status?: keyof typeof PASSKEY_STATUS } }>('/passkeys', {
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { status: { enum: Object.keys(PASSKEY_STATUS) } } } }
  }, async (request, reply) => {
    const user = userOf(request)
    if (user == null) return await reply.redirect('/login?returnTo=/passkeys', 303)
    const { recent } = await app.passkeyEnroll.signInState(request)
    let listed: PasskeySummary[] | undefined
    try {
      listed = await app.passkeyEnroll.list(request)
    } catch (error) {
      request.log.warn({ err: scrubError(error) }, 'client: passkeys could not be listed')
    }
    const { element } = app.passkeyEnroll
    return await page(request, reply, 'passkeys', ({ lang, text }) => {
      const status = request.query.status != null ? PASSKEY_STATUS[request.query.status] : undefined
      // Dates in the page's language; each line's words filled here, so the view only escapes them.
      const passkeys = listed?.map(p => {
        const created = formatDate(p.createdAt, lang)
        const lastUsed = p.lastUsedAt != null ? formatDate(p.lastUsedAt, lang) : undefined
        return {
          ...p,
          added: created != null ? around(text.addedOn, 'date') : undefined,
          created,
          used: lastUsed != null ? around(text.lastUsed, 'date') : undefined,
          lastUsed,
          removeLabel: fill(text.removeLabel, { name: p.name })
        }
      })
      return {
        title: text.navPasskeys,
        page: 'passkeys',
        user,
        passkeys,
        status: status != null ? { kind: status.kind, text: text[status.key] } : undefined,
        recent,
        reauthNote: around(fill(text.reauthNote, { age: formatDuration(maxAuthAgeSeconds, lang) }), 'link'),
        element: element.attributes,
        scripts: element.tags.scripts,
        preloads: element.tags.preloads
      }
    })
  })

  // Generic answers: Fastify's defaults would echo the URL or an internal message (checklist F7).
  app.setNotFoundHandler(async (request, reply) => await errorPage(request, reply, 404, 'errNotFoundTitle', 'errNotFound'))
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    // The shared store down or slow (a 503 from it): said as an outage, like Authsignal's, never a 500.
    if (error.statusCode === 503) return await errorPage(request, reply, 503, 'errUnavailableTitle', 'errUnavailable')
    const status = error.statusCode != null && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
    if (status === 500) request.log.error({ err: scrubError(error) }, 'client: request failed')
    if (error.code === 'FST_PASSKEY_CROSS_ORIGIN') {
      return await errorPage(request, reply, 403, request.routeOptions.url === '/logout' ? 'errNotSignedOutTitle' : 'errRefusedTitle', 'errCrossSite')
    }
    return await errorPage(request, reply, status, status === 500 ? 'errUnexpectedTitle' : 'errBadRequestTitle', status === 500 ? 'errUnexpected' : 'errBadRequest')
  })

  return app
}
