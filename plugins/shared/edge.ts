// The check every state-changing browser request of our servers passes before anything else (checklist C1).
import type { FastifyRequest } from 'fastify'

/**
 * Same-origin only (checklist C1, C2). On localhost the app and the IdP share cookies across ports, so
 * SameSite protects nothing: the browser's own word decides. A request must affirm it comes from this
 * origin — `Sec-Fetch-Site: same-origin`, or an `Origin` equal to ours — and must not name another
 * origin or site. (Under `Referrer-Policy: no-referrer` Chromium sends `Origin: null` on same-origin
 * form posts; `Sec-Fetch-Site` still says same-origin.)
 */
export function isSameOrigin (request: FastifyRequest, publicOrigin: string): boolean {
  const site = request.headers['sec-fetch-site']
  const origin = request.headers.origin
  if (typeof site === 'string' && site !== 'same-origin') return false
  if (typeof origin === 'string' && origin !== 'null' && origin !== publicOrigin) return false
  return site === 'same-origin' || origin === publicOrigin
}
