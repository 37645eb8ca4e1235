// What the demo app keeps in its session cookie (sealed by @fastify/secure-session): a few small values,
// never tokens other than the ID token kept as the logout hint. A session id lets sign-out revoke the
// cookie server-side, because a stateless cookie copied before sign-out would otherwise stay valid
// (checklist C7).
import { randomBytes } from 'node:crypto'
import type {} from '@fastify/secure-session'
import type { StoreBackend } from 'fastify-passkey-core'

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

/**
 * Revoked session ids, kept as long as a session can live, in the store every instance shares (Redis) or
 * in bounded memory: a cookie copied before sign-out is dead on every instance, and after a restart.
 */
export class RevokedSessions {
  readonly #store: StoreBackend
  readonly #lifetimeSeconds: number

  constructor (store: StoreBackend, lifetimeSeconds: number) {
    this.#store = store
    this.#lifetimeSeconds = lifetimeSeconds
  }

  async revoke (sid: string): Promise<void> {
    await this.#store.set('session-revoked', sid, '1', this.#lifetimeSeconds)
  }

  /** Throws (a 503) when the store cannot answer: a sign-in decision fails closed, the session is kept. */
  async isRevoked (sid: string): Promise<boolean> {
    return await this.#store.get('session-revoked', sid) != null
  }
}
