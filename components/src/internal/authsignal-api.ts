// The requests to Authsignal's Client API, exactly as the SDK's `PasskeyApiClient` (@authsignal/browser,
// src/api/passkey-api-client.ts) sends them: same URLs, method, headers (in the same order) and bodies,
// the answer read as JSON whatever its status (the SDK tells errors apart by an `error` key).
//
// Written out here rather than taken from the SDK because the SDK ships that class compiled to ES5: its
// async methods are `__awaiter`/`__generator` state machines, which with the class cost the login page
// about 1 KB gzip for five `fetch` calls. test/elements-internals.test.ts sends each request both ways,
// through the SDK's own class and through these functions, and proves them identical. The SDK's
// `onTokenExpired` hook is left out: the elements never set it (with none, the SDK does nothing more).
import type {
  AuthenticationOptsResponse,
  ChallengeResponse,
  ErrorResponse,
  VerifyResponse
} from '@authsignal/browser/dist/api/types/passkey.js'
import type { AuthenticationResponseJSON } from '@simplewebauthn/browser'
import { fromApiError, type ClassifiedError } from './error-codes.js'

/** Where requests go: the tenant and the API base URL (e.g. `https://api.authsignal.com/v1`, no trailing slash). */
export interface ClientApi { tenantId: string, baseUrl: string }

/**
 * `POST {baseUrl}/client/{path}` with a JSON body, as `PasskeyApiClient` sends it without cookies: Basic
 * authentication with the tenant id, or Bearer with a token. Its answer, as JSON.
 */
export async function post<T> ({ tenantId, baseUrl }: ClientApi, path: string, body: object, token?: string): Promise<T | ErrorResponse> {
  const response = await fetch(`${baseUrl}/client/${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      // The SDK's test: an empty token is no token.
      Authorization: token ? `Bearer ${token}` : `Basic ${window.btoa(encodeURIComponent(tenantId))}`
    },
    body: JSON.stringify(body),
    credentials: 'same-origin'
  })
  return await response.json()
}

/** `PasskeyApiClient.challenge({ action })`. */
export const challenge = async (api: ClientApi, action: string): Promise<ChallengeResponse | ErrorResponse> =>
  await post(api, 'challenge', { action })

/** `PasskeyApiClient.authenticationOptions({ challengeId })`. */
export const authenticationOptions = async (api: ClientApi, challengeId: string): Promise<AuthenticationOptsResponse | ErrorResponse> =>
  await post(api, 'user-authenticators/passkey/authentication-options', { challengeId })

/** `PasskeyApiClient.verify({ authenticationCredential, deviceId, challengeId })`. */
export const verify = async (api: ClientApi, authenticationCredential: AuthenticationResponseJSON, deviceId: string, challengeId: string): Promise<VerifyResponse | ErrorResponse> =>
  await post(api, 'verify/passkey', { authenticationCredential, deviceId, challengeId })

/** An answered error: the SDK tells them apart by an `error` key (never by the HTTP status). */
export function failed<T extends object> (answer: T): answer is Extract<T, { error: string }> {
  return 'error' in answer
}

/** What an answered error means for the elements. */
export const errorOf = (answer: { error: string }): ClassifiedError => fromApiError((answer as { errorCode?: string }).errorCode ?? answer.error)
