// Response headers of the hosted page. The page carries a track token and leads to a redirect with a
// token, so it is never cached, never framed, never leaks its URL as a referrer, and runs no script or
// style that did not come from a file on this origin (security checklist D3, D5, D6).
import type { FastifyReply } from 'fastify'

/**
 * `formTargets` are the origins a form on this page may end up at: Chromium applies `form-action` to
 * every redirect that follows a form POST (w3c/webappsec-csp#8) — the return address, and wherever that
 * sends the browser on (an IdP's MFA return redirects to its client app), so the caller lists those too.
 */
export function contentSecurityPolicy (formTargets: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    // The browser SDK calls the Client API on this same origin.
    "connect-src 'self'",
    `form-action ${["'self'", ...new Set(formTargets)].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
    // No script on the page builds HTML from strings; make the browser hold it to that.
    "require-trusted-types-for 'script'",
    "trusted-types 'none'"
  ].join('; ')
}

export function pageHeaders (reply: FastifyReply, formTargets?: readonly string[]): FastifyReply {
  // Every page is in the language its request's Accept-Language picked (i18n.ts).
  const vary = reply.getHeader('vary')
  const varyOn = vary == null || vary === '' ? [] : String(vary).split(',').map(v => v.trim())
  if (!varyOn.some(v => v.toLowerCase() === 'accept-language')) varyOn.push('Accept-Language')
  return reply.headers({
    vary: varyOn.join(', '),
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': contentSecurityPolicy(formTargets),
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin'
  })
}

/** Headers shared by everything else the page loads (script, style, QR image). */
export function assetHeaders (reply: FastifyReply, contentType: string): FastifyReply {
  return reply.headers({
    'content-type': contentType,
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'same-origin',
    // An SVG opened on its own is a document: it gets no script, no style, no framing.
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'"
  })
}
