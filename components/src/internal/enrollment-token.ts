// The enrollment token <passkey-enroll> gets from its app: POST `token-url` (same origin, JSON `{}`),
// answered 200 `{ token, expiresAt }` or 401 `{ error: 'reauthentication_required', message }`.
import type { PasskeyErrorCode } from '../events.js'
import { isHttpUrl } from './urls.js'

export interface EnrollmentGrant {
  token: string
  /** When the token expires, on this browser's clock (ms). */
  expiresAt: number
}

export type TokenFetchResult =
  | { ok: true, grant: EnrollmentGrant }
  | { ok: false, code: PasskeyErrorCode, reason: string }

const MAX_TOKEN_LENGTH = 8192

export async function fetchEnrollmentToken (url: string, now: () => number = Date.now): Promise<TokenFetchResult> {
  let response: Response
  try {
    response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: '{}'
    })
  } catch (error) {
    return { ok: false, code: 'network', reason: `token request failed: ${(error as Error).message}` }
  }
  let body: unknown
  try {
    body = await response.json()
  } catch {
    body = undefined
  }
  if (response.status === 401 && isRecord(body) && body.error === 'reauthentication_required') {
    return { ok: false, code: 'reauthentication-required', reason: 'reauthentication_required' }
  }
  if (!response.ok) {
    return { ok: false, code: response.status >= 500 ? 'network' : 'unknown', reason: `token request answered ${response.status}` }
  }
  if (!isRecord(body) || typeof body.token !== 'string' || body.token === '' || body.token.length > MAX_TOKEN_LENGTH ||
    typeof body.expiresAt !== 'string') {
    return { ok: false, code: 'unknown', reason: 'token response is not { token, expiresAt }' }
  }
  const expiresAt = Date.parse(body.expiresAt)
  if (Number.isNaN(expiresAt)) return { ok: false, code: 'unknown', reason: 'expiresAt is not a date' }
  return { ok: true, grant: { token: body.token, expiresAt: now() + lifetime(expiresAt, response.headers.get('date'), now()) } }
}

/**
 * The token's remaining life. Measured against the server's `Date` header when there is one, so a
 * browser clock that is off does not matter; that header has whole seconds, hence the second taken off.
 */
export function lifetime (expiresAt: number, dateHeader: string | null, now: number): number {
  const serverNow = dateHeader == null ? Number.NaN : Date.parse(dateHeader)
  return Number.isNaN(serverNow) ? expiresAt - now : expiresAt - serverNow - 1000
}

/** When to fetch the next token: a quarter of its life (at most a minute) before it expires, never sooner than 1 s. */
export function refreshDelay (grant: EnrollmentGrant, now: number): number {
  const remaining = grant.expiresAt - now
  return Math.max(1000, remaining - Math.min(60_000, remaining / 4))
}

/** A token is used only with enough life left for the WebAuthn prompt's first request. */
export function usable (grant: EnrollmentGrant | undefined, now: number): grant is EnrollmentGrant {
  return grant != null && grant.expiresAt - now > 2000
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value != null && !Array.isArray(value)
}

/** The absolute form of `value` (resolved against `base`) when it is an http(s) URL on `origin`, else undefined. */
export function sameOriginUrl (value: string | null | undefined, base: string, origin: string): string | undefined {
  if (!isHttpUrl(value, base)) return undefined
  const url = new URL(value as string, base)
  return url.origin === origin ? url.href : undefined
}
