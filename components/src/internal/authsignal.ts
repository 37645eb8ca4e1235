// The only door to the browser SDK (@authsignal/browser). Elements talk to a `PasskeyClient`: two calls
// that never throw and answer with a token or a classified error, plus `abort()` for the page's autofill.
// Anything else implementing `PasskeyClient` can be set as an element's `authsignal` property.
import {
  DEFAULT_COOKIE_NAME,
  Passkey,
  WebAuthnAbortService,
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  getCookie,
  getCookieDomain,
  resetAutofillRequestPending,
  setCookie,
  uuidV4
} from 'virtual:authsignal-passkey'
import type { PasskeyErrorCode } from '../events.js'
import { fromApiError, fromThrown } from './error-codes.js'

export type PasskeyResult<T> =
  | { ok: true, value: T }
  | { ok: false, code: PasskeyErrorCode, reason: string, /** The user had picked a passkey (verification started). */ picked?: boolean }

/** `reason` of the result when the SDK already had an autofill request open (nothing happened to the user). */
export const AUTOFILL_ALREADY_PENDING = 'autofill already pending'

export interface SignInValue { token: string, userId?: string }
export interface SignUpValue { userAuthenticatorId?: string, credentialId?: string }

export interface PasskeyClient {
  /** Modal sign-in, or arms passkey autofill (conditional mediation) with `autofill: true`. */
  signIn (options: { action: string, autofill?: boolean }): Promise<PasskeyResult<SignInValue>>
  /** Creates a passkey for the user the enrollment token belongs to. */
  signUp (options: { token: string }): Promise<PasskeyResult<SignUpValue>>
  /** Aborts the WebAuthn ceremony in progress, if any. */
  abort (): void
}

export interface PasskeyClientOptions {
  tenantId: string
  /** Authsignal API base URL, e.g. `https://api.authsignal.com/v1`. */
  baseUrl: string
}

export function webAuthnAvailable (): boolean {
  return browserSupportsWebAuthn()
}

export async function autofillAvailable (): Promise<boolean> {
  try {
    return await browserSupportsWebAuthnAutofill()
  } catch {
    return false
  }
}

export function createPasskeyClient ({ tenantId, baseUrl }: PasskeyClientOptions): PasskeyClient {
  const passkey = new Passkey({ tenantId, baseUrl, anonymousId: deviceId(), enableLogging: false })
  return {
    async signIn ({ action, autofill = false }) {
      let picked = false
      const onVerificationStarted = (): void => { picked = true }
      try {
        const response = await passkey.signIn({ action, autofill, onVerificationStarted })
        if (response.data?.isVerified === true && typeof response.data.token === 'string') {
          return { ok: true, value: { token: response.data.token, userId: response.data.userId } }
        }
        // `{}` with neither data nor error: the SDK already has an autofill request pending.
        if (response.data == null && response.errorCode == null && response.error == null) {
          return { ok: false, code: 'unknown', reason: AUTOFILL_ALREADY_PENDING }
        }
        return { ...fromApiError(response.errorCode ?? response.error), picked }
      } catch (error) {
        // The SDK clears its "autofill pending" flag on answered errors only; a rejected fetch leaves it set.
        if (autofill) resetAutofillRequestPending()
        return { ...fromThrown(error), picked }
      }
    },
    async signUp ({ token }) {
      try {
        const response = await passkey.signUp({ token })
        if (response.data != null && (response.data.userAuthenticator != null || response.data.token != null)) {
          return {
            ok: true,
            value: {
              userAuthenticatorId: response.data.userAuthenticator?.userAuthenticatorId,
              credentialId: response.data.registrationResponse?.id
            }
          }
        }
        return fromApiError(response.errorCode ?? response.error)
      } catch (error) {
        return fromThrown(error)
      }
    },
    abort () {
      WebAuthnAbortService.cancelCeremony()
    }
  }
}

// What the SDK's `Authsignal` constructor does for the device id it sends with a passkey verification.
function deviceId (): string {
  const existing = getCookie(DEFAULT_COOKIE_NAME)
  if (existing != null && existing !== '') return existing
  const id = uuidV4()
  setCookie({ name: DEFAULT_COOKIE_NAME, value: id, expire: Infinity, domain: getCookieDomain(), secure: document.location.protocol !== 'http:' })
  return id
}
