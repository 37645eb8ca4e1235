// The hosted ("pre-built") challenge page: `track` answers `url = <origin>/challenge?token=…`, the
// browser comes here, enrolls or passes a challenge with the browser SDK against this server's Client
// API (one implementation of each ceremony), and is sent back to the action's `redirectUrl` with a token.
//
//   GET  /challenge?token=        the page (choose a method, enroll or challenge, done, failed)
//   GET  /challenge/totp-qr?token= QR code (SVG) of the user's pending authenticator-app enrollment
//   POST /challenge/complete      token of a succeeded action → 303 to redirectUrl + token
//   POST /challenge/cancel        track token → 303 to redirectUrl + the same token (state unchanged)
//   GET  /challenge/assets/*      script, style, icon, the SDK's browser build
//
// The return is server-driven: the page never navigates to redirectUrl itself, so the server checks the
// action's state and return address on every way out.
//
// Every page, error pages included, is in the language the request's Accept-Language picks (i18n.ts),
// with its words from messages.ts; hosted.js gets its own in `data-messages`, placeholders filled.
import formbody from '@fastify/formbody'
import { Eta } from 'eta'
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { join } from 'node:path'
import QRCode from 'qrcode'
import { defaultMethodOf, mayEnroll, tokenFor } from '../actions.js'
import type { EmulatorContext } from '../context.js'
import { maskDestination } from '../outbox.js'
import type { VerificationMethod } from '../store.js'
import { otpauthUri } from '../totp.js'
import { hostedAssets } from './assets.js'
import { CLOSED_STATES, HostedPageError, resolveEntry, type Entry, type WayBack } from './entry.js'
import { assetHeaders, pageHeaders } from './headers.js'
import { durationText, errorContent, format, formatHtml, messagesFor, negotiateLanguage, SCRIPT_KEYS, type Language, type MessageKey, type Values } from './messages.js'
import { withToken } from './redirect.js'

const token = { type: 'string', minLength: 1, maxLength: 4096 }
const tokenQuery = { type: 'object', required: ['token'], properties: { token } }
const tokenBody = { type: 'object', required: ['token'], additionalProperties: false, properties: { token } }

/** A request's language and its words: `t` as text (escaped by the template), `strong` as HTML with values in <strong>. */
interface Words {
  language: Language
  t (key: MessageKey, values?: Values): string
  strong (key: MessageKey, emphasised: Values): string
}

type Screen = 'choose' | 'passkey-challenge' | 'totp-challenge' | 'email-otp-challenge' | 'sms-challenge' | 'unavailable' | 'done'

/**
 * A ceremony completed the action: CHALLENGE_SUCCEEDED, or ALLOW after a first enrollment under the
 * `hostedEnrollmentState` knob (the page still sends the user back; the site's validate decides).
 */
const completed = (entry: Entry): boolean =>
  entry.action.state === 'CHALLENGE_SUCCEEDED' || (entry.action.state === 'ALLOW' && entry.action.completedAt != null)

/** The challenge screen of each method the page can challenge with. */
const CHALLENGE_SCREENS: Partial<Record<VerificationMethod, Screen>> = {
  PASSKEY: 'passkey-challenge',
  AUTHENTICATOR_APP: 'totp-challenge',
  EMAIL_OTP: 'email-otp-challenge',
  SMS: 'sms-challenge'
}

export const hostedPage: FastifyPluginAsync<{ ctx: EmulatorContext }> = async (app, { ctx }) => {
  const { options, store } = ctx
  const prefix = app.prefix
  const assets = `${prefix}/assets`
  const eta = new Eta({ views: join(import.meta.dirname, 'views'), cache: true, autoEscape: true })

  await app.register(formbody, { bodyLimit: 16 * 1024 })
  await app.register(hostedAssets, { prefix: '/assets' })

  /** The page's words in the request's language, with the placeholders every screen shares filled. */
  function wordsFor (request: FastifyRequest, shared: Values = {}): Words {
    const language = negotiateLanguage(request.headers['accept-language'])
    const messages = messagesFor(language)
    const values = { rp: options.rpName, duration: durationText(options.tokenTtlSeconds, language), ...shared }
    return {
      language,
      t: (key, more = {}) => format(messages[key], { ...values, ...more }),
      strong: (key, emphasised) => formatHtml(messages[key], emphasised, values)
    }
  }

  function render (reply: FastifyReply, words: Words, status: number, view: string, data: Record<string, unknown>, returnOrigin?: string): FastifyReply {
    const html = eta.render(`./${view}`, { rpName: options.rpName, assets, scripts: false, lang: words.language, t: words.t, strong: words.strong, ...data })
    // The return address first, then the tenant's other origins the return may redirect on to.
    return pageHeaders(reply.code(status), returnOrigin == null ? [] : [returnOrigin, ...options.expectedOrigins]).send(html)
  }

  function renderError (request: FastifyRequest, reply: FastifyReply, error: HostedPageError): FastifyReply {
    const back = error.back
    const words = wordsFor(request, { host: back?.returnUrl.host })
    const content = errorContent(error.kind, { ttlSeconds: options.tokenTtlSeconds, origin: error.origin, returnHost: back?.returnUrl.host }, words.language)
    return render(reply, words, error.statusCode, 'error', {
      title: content.title,
      paragraphs: content.paragraphs,
      back: back == null ? null : wayBack(back, words)
    }, back?.returnUrl.origin)
  }

  const wayBack = (back: WayBack, words: Words): Record<string, string> => back.to === 'return'
    ? { method: 'post', action: `${prefix}/cancel`, token: back.token, label: words.t('returnTo') }
    : { method: 'get', action: prefix, token: back.token, label: words.t('backToVerification') }

  // Forms are posted by the page itself. The page's `no-referrer` policy makes Chromium send
  // `Origin: null` on them, so Fetch Metadata is the signal; an explicit foreign Origin is refused too.
  function requireSameOrigin (request: FastifyRequest): void {
    const site = request.headers['sec-fetch-site']
    const origin = request.headers.origin
    if (site != null && site !== 'same-origin') throw new HostedPageError(403, 'cross-site')
    if (origin != null && origin !== 'null' && origin !== options.publicUrl) throw new HostedPageError(403, 'cross-site')
  }

  function refuseClosed (entry: Entry, presented: string): void {
    if (CLOSED_STATES.has(entry.action.state)) {
      throw new HostedPageError(403, 'action-closed', { back: { to: 'return', token: presented, returnUrl: entry.returnUrl } })
    }
  }

  // A URL carrying a token is never logged: Fastify's request line includes the query string.
  app.get<{ Querystring: { token: string } }>('/', { logLevel: 'warn', schema: { querystring: tokenQuery } }, async (request, reply) => {
    const presented = request.query.token
    const entry = await resolveEntry(ctx, presented)
    refuseClosed(entry, presented)
    const userId = entry.action.userId
    const enrolledMethods = store.enrolledMethods(userId)
    // Knob `hostedPasskeys`: without it the page neither offers nor asks for a passkey.
    const methods = enrolledMethods.filter(m => CHALLENGE_SCREENS[m] != null && (m !== 'PASSKEY' || options.hostedPasskeys))
    const preferred = defaultMethodOf(ctx, userId)
    const first = preferred != null && methods.includes(preferred) ? preferred : methods[0]
    const initial: Screen = completed(entry)
      ? 'done'
      : first != null ? CHALLENGE_SCREENS[first] as Screen : enrolledMethods.length === 0 ? 'choose' : 'unavailable'
    const words = wordsFor(request, { host: entry.returnUrl.host })
    const title = words.t(initial === 'choose' ? 'chooseTitle' : initial === 'done' ? 'alreadyVerifiedTitle' : initial === 'unavailable' ? 'unavailableTitle' : 'passkeyChallengeTitle')
    // Where codes go, masked: the page says it without showing the address.
    const destination = (field: 'email' | 'phoneNumber', method: VerificationMethod): string =>
      maskDestination(store.authenticatorsOf(userId).find(a => a.verificationMethod === method)?.[field] ?? '')
    return render(reply, words, 200, 'challenge', {
      title,
      scripts: true,
      initial,
      enrolled: {
        passkey: methods.includes('PASSKEY'),
        app: methods.includes('AUTHENTICATOR_APP'),
        email: methods.includes('EMAIL_OTP'),
        sms: methods.includes('SMS')
      },
      passkeys: options.hostedPasskeys,
      emailTo: destination('email', 'EMAIL_OTP'),
      smsTo: destination('phoneNumber', 'SMS'),
      alternatives: methods.map(m => CHALLENGE_SCREENS[m]),
      tenantId: options.tenantId,
      apiUrl: `${options.publicUrl}/v1`,
      token: presented,
      qrUrl: `${prefix}/totp-qr`,
      completeUrl: `${prefix}/complete`,
      cancelUrl: `${prefix}/cancel`,
      returnHost: entry.returnUrl.host,
      // hosted.js's words, placeholders filled: an attribute the script reads, not inline script (CSP).
      scriptMessages: JSON.stringify(Object.fromEntries(SCRIPT_KEYS.map(key => [key, words.t(key)])))
    }, entry.returnUrl.origin)
  })

  app.get<{ Querystring: { token: string } }>('/totp-qr', { logLevel: 'warn', schema: { querystring: tokenQuery } }, async (request, reply) => {
    const entry = await resolveEntry(ctx, request.query.token)
    refuseClosed(entry, request.query.token)
    // The secret of a pending app is shown only to a token that may add it (issue 12, finding 1).
    if (!mayEnroll(ctx, entry.claims)) throw new HostedPageError(403, 'enroll-not-allowed')
    const pending = store.pendingTotpOf(entry.action.userId)
    if (pending?.totp == null) throw new HostedPageError(404, 'not-found')
    // The same account label the Client API puts in the `uri` it returns for this enrollment.
    const user = store.users.get(entry.action.userId)
    const uri = otpauthUri(pending.totp.secret, options.rpName, user?.username ?? user?.email ?? entry.action.userId)
    const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
    return assetHeaders(reply, 'image/svg+xml').header('cache-control', 'no-store').send(svg)
  })

  app.post<{ Body: { token: string } }>('/complete', { schema: { body: tokenBody } }, async (request, reply) => {
    requireSameOrigin(request)
    const entry = await resolveEntry(ctx, request.body.token)
    refuseClosed(entry, request.body.token)
    if (!completed(entry)) {
      throw new HostedPageError(409, 'not-verified', { back: { to: 'resume', token: request.body.token, returnUrl: entry.returnUrl } })
    }
    // The token the ceremony returned may add authenticators; the one that goes into a URL (and the
    // browser's history) gets only the scope `track` granted, with a fresh lifetime.
    const returned = await tokenFor(ctx, entry.action)
    return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(withToken(entry.returnUrl, returned), 303)
  })

  app.post<{ Body: { token: string } }>('/cancel', { schema: { body: tokenBody } }, async (request, reply) => {
    requireSameOrigin(request)
    const entry = await resolveEntry(ctx, request.body.token)
    // The state stays as it is: the site learns from validate that the challenge was not passed.
    return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(withToken(entry.returnUrl, request.body.token), 303)
  })

  app.setNotFoundHandler(async (request, reply) => renderError(request, reply, new HostedPageError(404, 'not-found')))

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error instanceof HostedPageError) return renderError(request, reply, error)
    if (error.validation != null) return renderError(request, reply, new HostedPageError(400, 'bad-request'))
    const status = error.statusCode ?? 500
    if (status < 500) return renderError(request, reply, new HostedPageError(status, 'bad-request'))
    request.log.error({ err: { type: error.name, message: error.message, stack: error.stack } }, 'hosted page: unexpected error')
    return renderError(request, reply, new HostedPageError(500, 'unexpected'))
  })
}
