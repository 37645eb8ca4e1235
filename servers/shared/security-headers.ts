// Security headers for every response of a demo server, set on the raw response in an onRequest hook
// so that responses written outside Fastify's reply (oidc-provider's) carry them too (checklist F9).
// A strict CSP without inline script or style (D3), no framing (D5), no referrer (D6).
import type { onRequestAsyncHookHandler } from 'fastify'

export interface CspSources {
  /** Origins scripts may call (e.g. the Authsignal API). */
  connect?: string[]
  /** Where forms may go, redirects after a form POST included (Chromium applies form-action to them). */
  formAction?: string[]
}

export function contentSecurityPolicy ({ connect = [], formAction = [] }: CspSources): string {
  const origins = (list: string[]): string => [...new Set(list.map(u => new URL(u).origin))].join(' ')
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${origins(connect)}`.trim(),
    `form-action 'self' ${origins(formAction)}`.trim(),
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'"
  ].join('; ')
}

export function securityHeaders ({ csp, https }: { csp: string, https: boolean }): onRequestAsyncHookHandler {
  return async (_request, reply) => {
    const res = reply.raw
    res.setHeader('content-security-policy', csp)
    res.setHeader('x-frame-options', 'DENY')
    res.setHeader('x-content-type-options', 'nosniff')
    res.setHeader('referrer-policy', 'no-referrer')
    res.setHeader('cross-origin-opener-policy', 'same-origin')
    res.setHeader('cross-origin-resource-policy', 'same-origin')
    if (https) res.setHeader('strict-transport-security', 'max-age=31536000')
  }
}
