// Security headers for every IdP response, oidc-provider's included: they are set on the raw response
// in an onRequest hook registered before middie, because oidc-provider writes the response itself
// (checklist F9). A strict CSP without inline script or style (D3), no framing (D5), no referrer (D6).
import type { onRequestAsyncHookHandler } from 'fastify'

export interface CspInput {
  /** Authsignal API base URL: the browser SDK calls it (connect-src). */
  apiUrl: string
  /** Authsignal's hosted challenge page: the password form is redirected there. @default origin of apiUrl */
  hostedPageOrigin?: string
  /** Clients' redirect URIs: after a form POST the browser is redirected there through the provider. */
  clients: Array<{ redirectUris: string[], postLogoutRedirectUris?: string[] }>
}

export function contentSecurityPolicy ({ apiUrl, hostedPageOrigin, clients }: CspInput): string {
  const api = new URL(apiUrl).origin
  // Chromium applies form-action to the redirects that follow a form submission (w3c/webappsec-csp#8).
  const formTargets = new Set(["'self'", new URL(hostedPageOrigin ?? apiUrl).origin])
  for (const client of clients) {
    for (const uri of [...client.redirectUris, ...(client.postLogoutRedirectUris ?? [])]) formTargets.add(new URL(uri).origin)
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${api}`,
    `form-action ${[...formTargets].join(' ')}`,
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
