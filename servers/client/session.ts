// What the demo app keeps in its session cookie (sealed by @fastify/secure-session): a few small values,
// never tokens other than the ID token kept as the logout hint. A session id lets sign-out revoke the
// cookie server-side, because a stateless cookie copied before sign-out would otherwise stay valid
// (checklist C7).
import { randomBytes } from 'node:crypto'
import type {} from '@fastify/secure-session'

/** An authorization request in flight (state, nonce and PKCE verifier are bound to this browser's session). */
export interface PendingSignIn {
  state: string
  nonce: string
  codeVerifier: string
  returnTo: string
  startedAt: number
}

declare module '@fastify/secure-session' {
  interface SessionData {
    /** Session id: revoked on sign-out. */
    sid: string
    sub: string
    name: string
    /** The ID token's auth_time (seconds since the epoch). */
    authTime: number
    /** For RP-initiated logout's id_token_hint. */
    idToken: string
    pending: PendingSignIn
  }
}

export const newSessionId = (): string => randomBytes(16).toString('base64url')

/** Revoked session ids, kept until the longest a session can live (per process; shared store for many). */
export class RevokedSessions {
  readonly #revoked = new Map<string, number>()
  readonly lifetimeMs: number
  constructor (lifetimeMs: number) {
    this.lifetimeMs = lifetimeMs
  }

  revoke (sid: string, now = Date.now()): void {
    for (const [id, until] of this.#revoked) if (until <= now) this.#revoked.delete(id)
    this.#revoked.set(sid, now + this.lifetimeMs)
  }

  isRevoked (sid: string, now = Date.now()): boolean {
    const until = this.#revoked.get(sid)
    return until != null && until > now
  }
}
