// One header policy for the plugins' pages and the demo servers, in the style of @fastify/helmet: one named
// onRequest hook, per-route opt-out (`config: { securityHeaders: false }`). Headers are set on the raw
// response so that answers written outside Fastify's reply (oidc-provider's, mounted through middie) carry
// them too (docs/security.md, F9): a strict CSP without inline script or style (D3), no framing (D5), no
// referrer (D6), no MIME sniffing.
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'

export interface CspSources {
  /** Origins of scripts beyond 'self' (e.g. a CDN serving the elements). */
  script?: string[]
  /** Origins scripts may call (e.g. the Authsignal API). */
  connect?: string[]
  /** Where forms may go, redirects after a form POST included (Chromium applies form-action to them). */
  formAction?: string[]
}

export interface SecurityHeadersOptions {
  /** Sources of the Content-Security-Policy; `false` sets none (the host sets its own). @default {} */
  csp?: CspSources | false
  /** Send Strict-Transport-Security (for HTTPS origins). @default false */
  hsts?: boolean
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false`: this route's responses get none of the security headers. */
    securityHeaders?: boolean
  }
}

export const SECURITY_HEADERS_PLUGIN = 'fastify-passkey-core/security-headers'

const originsOf = (list: readonly string[]): string => [...new Set(list.map(u => new URL(u).origin))].join(' ')

export function contentSecurityPolicy ({ script = [], connect = [], formAction = [] }: CspSources = {}): string {
  return [
    "default-src 'none'",
    `script-src 'self' ${originsOf(script)}`.trim(),
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${originsOf(connect)}`.trim(),
    `form-action 'self' ${originsOf(formAction)}`.trim(),
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'"
  ].join('; ')
}

/** The headers of the policy, as [name, value] pairs. */
export function securityHeaderList ({ csp = {}, hsts = false }: SecurityHeadersOptions = {}): Array<[string, string]> {
  return [
    ...(csp === false ? [] : [['content-security-policy', contentSecurityPolicy(csp)] as [string, string]]),
    ['x-frame-options', 'DENY'],
    ['x-content-type-options', 'nosniff'],
    ['referrer-policy', 'no-referrer'],
    ['cross-origin-opener-policy', 'same-origin'],
    ['cross-origin-resource-policy', 'same-origin'],
    ...(hsts ? [['strict-transport-security', 'max-age=31536000'] as [string, string]] : [])
  ]
}

/** Replaces this response's CSP (a page that knows better than the server-wide policy, e.g. its form targets). */
export function setContentSecurityPolicy (reply: FastifyReply, sources: CspSources): void {
  reply.raw.setHeader('content-security-policy', contentSecurityPolicy(sources))
}

const securityHeadersPlugin: FastifyPluginAsync<SecurityHeadersOptions> = async (fastify, options) => {
  const headers = securityHeaderList(options)
  fastify.addHook('onRequest', async function passkeySecurityHeaders (request, reply) {
    if (request.routeOptions.config?.securityHeaders === false) return
    for (const [name, value] of headers) reply.raw.setHeader(name, value)
  })
}

/**
 * The policy as a plugin (not encapsulated: it covers the scope it is registered in). The passkey plugins
 * register it for their own routes unless the host already has (`hasPlugin`).
 */
export const securityHeaders = fp(securityHeadersPlugin, { name: SECURITY_HEADERS_PLUGIN, fastify: '5.x' })
