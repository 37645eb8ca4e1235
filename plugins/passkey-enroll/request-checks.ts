// Checks every state-changing request of the plugin makes before anything else.
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

/** A fixed-window counter per key, in memory (per process; a shared store is the multi-instance answer). */
export class WindowLimiter {
  readonly #hits = new Map<string, { count: number, resetAt: number }>()
  constructor (readonly max: number, readonly windowMs: number) {}

  /** Counts one hit; answers the seconds to wait when over the limit, else 0. */
  hit (key: string, now = Date.now()): number {
    if (this.#hits.size > 10_000) for (const [k, v] of this.#hits) if (v.resetAt <= now) this.#hits.delete(k)
    const entry = this.#hits.get(key)
    if (entry == null || entry.resetAt <= now) {
      this.#hits.set(key, { count: 1, resetAt: now + this.windowMs })
      return 0
    }
    entry.count++
    return entry.count > this.max ? Math.ceil((entry.resetAt - now) / 1000) : 0
  }
}
