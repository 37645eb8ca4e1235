// The interaction routes. They live under oidc-provider's interaction URL (`/interaction/:uid/…`) so the
// path-scoped interaction cookie binds every request to the browser that started the sign-in
// (security checklist B2, F12); the uid in the URL must also be the uid of that cookie's interaction.
// Every sign-in finishes through oidc-provider, which alone decides where the browser goes next (B1).
import { randomUUID } from 'node:crypto'
import formbody from '@fastify/formbody'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import { errors as oidcErrors } from 'oidc-provider'
import { withDeadline } from '../shared/deadline.js'
import { logSerializers, scrubError } from '../shared/scrub.js'
import { acceptToken, MAX_TOKEN_LENGTH, type Acceptance, type AcceptTokenDeps } from './accept-token.js'
import {
  FST_PASSKEY_LOGIN_CROSS_ORIGIN,
  FST_PASSKEY_LOGIN_INTERACTION_NOT_FOUND,
  FST_PASSKEY_LOGIN_TOO_MANY_REQUESTS,
  FST_PASSKEY_LOGIN_UNSUPPORTED_PROMPT
} from './errors.js'
import { ACCOUNT_ID, type LoginPageData, type PasskeyLoginAccount, type ResolvedOptions } from './options.js'
import type { Pages } from './pages.js'

/** Generic words for the user: they never say which check failed (enumeration, checklist E2). */
export const MESSAGES = {
  credentials: 'The username or password is incorrect.',
  token: 'We could not complete your sign-in. Please try again.',
  refused: 'We could not sign you in. Please try again later or contact support.',
  unavailable: 'Sign-in is temporarily unavailable. Please try again in a moment.',
  startAgain: 'Your sign-in was interrupted. Please enter your username and password again.'
} as const

type Interaction = Awaited<ReturnType<ResolvedOptions['provider']['interactionDetails']>>

interface UidParams { uid: string }
interface RateLimitResult { isAllowed?: boolean, isExceeded?: boolean, ttlInSeconds?: number }

const BODY_LIMIT = 16 * 1024
const uidParams = {
  type: 'object',
  required: ['uid'],
  additionalProperties: false,
  properties: { uid: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } }
}
// Type and length only: a token of the wrong shape is a failed sign-in (login page), not a bad request.
const tokenField = { type: 'string', minLength: 1, maxLength: MAX_TOKEN_LENGTH }
const UA_MAX = 512

export interface RouteContext {
  options: ResolvedOptions
  pages: Pages
  /** Full path prefix of the interaction routes (host prefix + routePrefix). */
  basePath: string
  assets: { scripts: string[], preloads: string[], stylesheet: string }
}

/** Amr values (RFC 8176) for the second factor Authsignal verified. */
const methodAmr = (method: string | undefined): string[] =>
  method === 'PASSKEY' ? ['hwk'] : method === 'AUTHENTICATOR_APP' ? ['otp'] : []

export const interactionRoutes: FastifyPluginAsync<RouteContext> = async (scope: FastifyInstance, context) => {
  const { options, pages, basePath, assets } = context
  const { provider, accounts, authsignal, pendingMfa } = options

  // Only forms reach these routes; no JSON (a cross-origin JSON POST would need CORS anyway).
  scope.removeAllContentTypeParsers()
  await scope.register(formbody, { bodyLimit: BODY_LIMIT })

  // Anti-automation (checklist E1): every interaction route per address; password attempts also per
  // username, so spreading guesses over many addresses does not help either.
  let perUsername: preHandlerAsyncHookHandler | undefined
  if (options.rateLimit !== false) {
    const limits = options.rateLimit
    await scope.register(rateLimit, {
      global: true,
      max: limits.max,
      timeWindow: limits.timeWindowMs,
      errorResponseBuilder: () => new FST_PASSKEY_LOGIN_TOO_MANY_REQUESTS()
    })
    // A second limiter on the same request: @fastify/rate-limit's own route handler would skip it
    // (it runs once per request), so its checker is called directly.
    const check = (scope as unknown as { createRateLimit: (o: object) => (request: FastifyRequest) => Promise<RateLimitResult> }).createRateLimit({
      max: limits.passwordMax,
      timeWindow: limits.timeWindowMs,
      keyGenerator: (request: FastifyRequest) => `passkey-login:user:${String((request.body as { username?: unknown } | undefined)?.username ?? '').trim().toLowerCase()}`
    })
    perUsername = async (request, reply) => {
      const result = await check(request)
      if (result.isAllowed !== true && result.isExceeded === true) {
        reply.header('retry-after', String(result.ttlInSeconds ?? 1))
        throw new FST_PASSKEY_LOGIN_TOO_MANY_REQUESTS()
      }
    }
  }

  scope.addHook('onRequest', async (request, reply) => {
    // Pages and redirects here carry interaction state and, on the MFA return, a token in the URL.
    reply.header('cache-control', 'no-store')
    reply.header('pragma', 'no-cache')
    reply.header('referrer-policy', 'no-referrer')
    reply.header('x-content-type-options', 'nosniff')
    // Login CSRF (checklist C1, A6). Browsers send Sec-Fetch-Site with every form POST: only our own
    // pages may post here. Without it (older browsers), a present Origin must be ours; under
    // `Referrer-Policy: no-referrer` a same-origin form POST carries `Origin: null`, so null proves nothing.
    if (request.method === 'POST') {
      const site = request.headers['sec-fetch-site']
      const origin = request.headers.origin
      const crossSite = typeof site === 'string'
        ? site !== 'same-origin'
        : typeof origin === 'string' && origin !== 'null' && origin !== options.publicOrigin
      if (crossSite) throw new FST_PASSKEY_LOGIN_CROSS_ORIGIN()
    }
  })

  const interactionUrl = (uid: string): string => `${basePath}/${uid}`

  async function loadInteraction (request: FastifyRequest<{ Params: UidParams }>, reply: FastifyReply): Promise<Interaction> {
    let interaction: Interaction
    try {
      interaction = await provider.interactionDetails(request.raw, reply.raw)
    } catch (error) {
      if (error instanceof oidcErrors.SessionNotFound) throw new FST_PASSKEY_LOGIN_INTERACTION_NOT_FOUND()
      throw error
    }
    // The cookie names the interaction; a uid in the URL that is not that one is refused (B2), as is
    // an interaction that already has its result (B3: a replayed callback after success).
    if (interaction.uid !== request.params.uid || interaction.result != null) throw new FST_PASSKEY_LOGIN_INTERACTION_NOT_FOUND()
    if (interaction.prompt.name !== 'login') throw new FST_PASSKEY_LOGIN_UNSUPPORTED_PROMPT(interaction.prompt.name)
    return interaction
  }

  async function clientName (interaction: Interaction): Promise<string | undefined> {
    const clientId = interaction.params.client_id
    if (typeof clientId !== 'string') return undefined
    const client = await provider.Client.find(clientId)
    return typeof client?.clientName === 'string' ? client.clientName : undefined
  }

  async function renderLogin (
    request: FastifyRequest<{ Params: UidParams }>,
    reply: FastifyReply,
    interaction: Interaction,
    status: number,
    extra: { error?: string, username?: string } = {}
  ): Promise<FastifyReply> {
    const hint = interaction.params.login_hint
    const data: LoginPageData = {
      title: options.title,
      uid: interaction.uid,
      actions: { password: `${interactionUrl(interaction.uid)}/login`, passkey: `${interactionUrl(interaction.uid)}/passkey` },
      username: extra.username ?? (typeof hint === 'string' ? hint.slice(0, 256) : ''),
      ...(extra.error != null ? { error: extra.error } : {}),
      clientName: await clientName(interaction),
      tenantId: options.tenantId,
      apiUrl: options.apiUrl,
      passkeyAction: options.actions.passkeySignIn,
      scripts: assets.scripts,
      preloads: assets.preloads,
      stylesheet: assets.stylesheet
    }
    reply.code(status)
    return await pages.login(request, reply, data)
  }

  async function finish (request: FastifyRequest, reply: FastifyReply, account: PasskeyLoginAccount, amr: string[], method: string): Promise<FastifyReply> {
    const returnTo = await provider.interactionResult(request.raw, reply.raw, {
      login: { accountId: account.id, amr: [...new Set(amr)] }
    }, { mergeWithLastSubmission: false })
    request.log.info({ event: 'login', accountId: account.id, method }, 'passkey-login: signed in')
    // 303: the browser must GET the resume URL, never re-POST credentials to it (RFC 9700 §4.12).
    return await reply.redirect(returnTo, 303)
  }

  const acceptDeps = (request: FastifyRequest): AcceptTokenDeps => ({
    authsignal,
    accounts,
    usedTokens: options.usedTokens,
    timeoutMs: options.authsignalTimeoutMs,
    maxAgeSeconds: options.tokenMaxAgeSeconds,
    usedTokenTtlSeconds: options.usedTokenTtlSeconds,
    log: request.log
  })

  const refusal = (result: Exclude<Acceptance, { accepted: true }>): { status: number, error: string } =>
    result.reason === 'unavailable' ? { status: 503, error: MESSAGES.unavailable } : { status: 400, error: MESSAGES.token }

  const ttlOf = (interaction: Interaction): number => Math.max(1, interaction.exp - Math.floor(Date.now() / 1000))

  // The request line of these routes carries `?token=` on the MFA return: mask it whatever the host's
  // logger does (checklist F5).
  const routeLog = { logSerializers: { req: logSerializers.req, err: logSerializers.err } }

  scope.get<{ Params: UidParams }>('/:uid', {
    ...routeLog,
    schema: { params: uidParams }
  }, async (request, reply) => {
    const interaction = await loadInteraction(request, reply)
    return await renderLogin(request, reply, interaction, 200)
  })

  scope.post<{ Params: UidParams, Body: { username: string, password: string } }>('/:uid/login', {
    ...routeLog,
    bodyLimit: BODY_LIMIT,
    ...(perUsername != null ? { preHandler: perUsername } : {}),
    schema: {
      params: uidParams,
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
    const interaction = await loadInteraction(request, reply)
    const { uid } = interaction
    const username = request.body.username.trim()
    const account = await accounts.verifyPassword(username, request.body.password)
    if (account == null || account.active === false) {
      request.log.info({ event: 'login-failed', method: 'password' }, 'passkey-login: password refused')
      return await renderLogin(request, reply, interaction, 401, { error: MESSAGES.credentials, username })
    }
    if (typeof account.id !== 'string' || !ACCOUNT_ID.test(account.id)) {
      throw new Error('passkey-login: account ids must match ^[A-Za-z0-9_-]{1,64}$ to be used with Authsignal')
    }
    // A new password attempt replaces whatever MFA an earlier attempt in this interaction started.
    await pendingMfa.delete(uid)
    const idempotencyKey = randomUUID()
    const userAgent = request.headers['user-agent']
    let tracked
    try {
      tracked = await withDeadline('Authsignal track', options.authsignalTimeoutMs, async () => await authsignal.track({
        userId: account.id,
        action: options.actions.passwordMfa,
        attributes: {
          idempotencyKey,
          redirectUrl: `${options.publicOrigin}${interactionUrl(uid)}/mfa`,
          username: account.username ?? username,
          ...(account.email != null ? { email: account.email } : {}),
          ipAddress: request.ip,
          ...(typeof userAgent === 'string' ? { userAgent: userAgent.slice(0, UA_MAX) } : {})
        }
      }))
    } catch (error) {
      // Fail closed: without Authsignal's answer nobody signs in with a password (checklist F-2).
      request.log.warn({ error: scrubError(error) }, 'passkey-login: Authsignal track failed')
      return await renderLogin(request, reply, interaction, 503, { error: MESSAGES.unavailable, username })
    }
    if (tracked == null || typeof tracked !== 'object' || tracked.idempotencyKey !== idempotencyKey) {
      request.log.warn('passkey-login: Authsignal track answered for another action')
      return await renderLogin(request, reply, interaction, 503, { error: MESSAGES.unavailable, username })
    }

    const needsEnrollment = tracked.state === 'ALLOW' && tracked.isEnrolled !== true && options.mfaPolicy === 'enroll'
    if (tracked.state === 'CHALLENGE_REQUIRED' || needsEnrollment) {
      let hosted: URL
      try {
        hosted = new URL(tracked.url)
        if (hosted.protocol !== 'https:' && hosted.protocol !== 'http:') throw new TypeError('not http(s)')
      } catch {
        request.log.warn('passkey-login: Authsignal track answered without a usable challenge URL')
        return await renderLogin(request, reply, interaction, 503, { error: MESSAGES.unavailable, username })
      }
      await pendingMfa.set(uid, { accountId: account.id, idempotencyKey, failures: 0 }, ttlOf(interaction))
      request.log.info({ event: 'mfa-required', accountId: account.id, enroll: needsEnrollment }, 'passkey-login: sent to Authsignal')
      return await reply.redirect(hosted.href, 303)
    }
    if (tracked.state === 'ALLOW') return await finish(request, reply, account, ['pwd'], 'password')
    // BLOCK, REVIEW_REQUIRED or anything unexpected: refused, in the same words for every reason.
    request.log.info({ event: 'login-refused', accountId: account.id, state: String(tracked.state) }, 'passkey-login: Authsignal refused the sign-in')
    return await renderLogin(request, reply, interaction, 403, { error: MESSAGES.refused, username })
  })

  scope.get<{ Params: UidParams, Querystring: { token: string } }>('/:uid/mfa', {
    ...routeLog,
    schema: {
      params: uidParams,
      querystring: { type: 'object', required: ['token'], additionalProperties: false, properties: { token: tokenField } }
    }
  }, async (request, reply) => {
    const interaction = await loadInteraction(request, reply)
    const { uid } = interaction
    const pending = await pendingMfa.get(uid)
    if (pending == null) {
      request.log.info({ event: 'login-failed', method: 'mfa', reason: 'no-pending-mfa' }, 'passkey-login: MFA return without a password step')
      return await renderLogin(request, reply, interaction, 400, { error: MESSAGES.startAgain })
    }
    const result = await acceptToken(acceptDeps(request), request.query.token, {
      kind: 'mfa', action: options.actions.passwordMfa, accountId: pending.accountId, idempotencyKey: pending.idempotencyKey
    })
    if (!result.accepted) {
      request.log.info({ event: 'login-failed', method: 'mfa', reason: result.reason }, 'passkey-login: MFA token refused')
      if (result.reason !== 'unavailable') {
        // Too many bad returns and the password must be typed again (checklist A4).
        const failures = pending.failures + 1
        if (failures >= options.maxMfaFailures) await pendingMfa.delete(uid)
        else await pendingMfa.set(uid, { ...pending, failures }, ttlOf(interaction))
      }
      const { status, error } = refusal(result)
      return await renderLogin(request, reply, interaction, status, { error })
    }
    await pendingMfa.delete(uid)
    return await finish(request, reply, result.account, ['pwd', 'mfa', ...methodAmr(result.verificationMethod)], 'password+mfa')
  })

  scope.post<{ Params: UidParams, Body: { token: string } }>('/:uid/passkey', {
    ...routeLog,
    bodyLimit: BODY_LIMIT,
    schema: {
      params: uidParams,
      body: { type: 'object', required: ['token'], additionalProperties: false, properties: { token: tokenField } }
    }
  }, async (request, reply) => {
    const interaction = await loadInteraction(request, reply)
    const result = await acceptToken(acceptDeps(request), request.body.token, { kind: 'passkey', action: options.actions.passkeySignIn })
    if (!result.accepted) {
      request.log.info({ event: 'login-failed', method: 'passkey', reason: result.reason }, 'passkey-login: passkey token refused')
      const { status, error } = refusal(result)
      return await renderLogin(request, reply, interaction, status, { error })
    }
    // A passkey sign-in ends any password step this interaction had started (checklist A5).
    await pendingMfa.delete(interaction.uid)
    return await finish(request, reply, result.account, ['hwk'], 'passkey')
  })
}
