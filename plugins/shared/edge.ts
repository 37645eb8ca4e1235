// The request edge every state-changing browser request passes before anything else: one same-origin rule
// for both plugins and the demo servers (docs/security.md, C1 and C2).
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import { FST_PASSKEY_CROSS_ORIGIN } from './errors.js'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Same origin, affirmed by the browser. On localhost an app and an IdP on two ports share cookies, so
 * SameSite protects nothing: the browser's own word decides. A request passes when it says it comes from
 * this origin — `Sec-Fetch-Site: same-origin`, or (from a browser that sends no Fetch metadata) an `Origin`
 * equal to ours — and names no other origin or site.
 *
 * The header-less case (neither header, or only `Origin: null`) is refused. Every browser that can run a
 * passkey ceremony sends `Sec-Fetch-Site` (Chromium 76, Firefox 90, Safari 16.4), and every browser sends
 * `Origin` on a cross-origin POST, so a request with neither is not a page of ours: it is a script, which
 * has no business posting our forms, or a privacy proxy stripping headers, which we cannot tell from an
 * attack. `Origin: null` (what Chromium sends on same-origin form posts under `Referrer-Policy:
 * no-referrer`, and what a sandboxed frame of any site sends) proves nothing either way.
 */
export function isSameOrigin (request: FastifyRequest, publicOrigin: string): boolean {
  const site = request.headers['sec-fetch-site']
  const origin = request.headers.origin
  if (typeof site === 'string' && site !== 'same-origin') return false
  if (typeof origin === 'string' && origin !== 'null' && origin !== publicOrigin) return false
  return site === 'same-origin' || origin === publicOrigin
}

/** An onRequest hook refusing (403, FST_PASSKEY_CROSS_ORIGIN) every non-safe request that is not same-origin. */
export function sameOriginGuard (publicOrigin: string): onRequestAsyncHookHandler {
  return async function passkeySameOrigin (request) {
    if (!SAFE_METHODS.has(request.method) && !isSameOrigin(request, publicOrigin)) throw new FST_PASSKEY_CROSS_ORIGIN()
  }
}
