// The only door to the browser SDK (@authsignal/browser). Elements talk to a `PasskeyClient`: calls that never
// throw and answer with a value or a classified error, plus `abort()` for the page's autofill. Anything else
// implementing `PasskeyClient` can be set as an element's `authsignal` property.
//
// The built-in client runs the SDK's `passkey.signIn` and `passkey.signUp` step by step, with the SDK's own
// API client (`PasskeyApiClient`, so every request is the one the SDK sends) and the SimpleWebAuthn
// ceremonies it bundles. Split so: the requests before the prompt (`signInOptions`: `POST /client/challenge`
// then `…/passkey/authentication-options`; `signUpOptions`: `…/passkey/registration-options`) can be made
// ahead of the click, and one answer serves an aborted autofill and then the button's prompt. What the SDK
// does besides, the elements do not need: its token cache (for its other methods) and its list of this
// device's credential ids in localStorage (for `isAvailableOnDevice`).
import {
  DEFAULT_COOKIE_NAME,
  PasskeyApiClient,
  WebAuthnAbortService,
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  getCookie,
  getCookieDomain,
  setCookie,
  startAuthentication,
  uuidV4
} from 'virtual:authsignal-passkey'
import type { PasskeyErrorCode } from '../events.js'
import { fromApiError, fromThrown, type PasskeyResult } from './error-codes.js'

export type { PasskeyResult }

export interface SignInValue { token: string, userId?: string }
export interface SignUpValue { userAuthenticatorId?: string, credentialId?: string }

/** WebAuthn options as JSON (base64url binary fields), as Authsignal answers them. */
export interface WebAuthnOptionsJSON { challenge: string, [field: string]: unknown }

/**
 * What a sign-in's prompt needs, fetched before it: Authsignal's answer to
 * `POST /client/user-authenticators/passkey/authentication-options` (after `POST /client/challenge` for the action).
 */
export interface SignInOptions { challengeId: string, options: WebAuthnOptionsJSON }

/** What an enrollment's prompt needs: the answer to `…/passkey/registration-options` for this token. */
export interface SignUpOptions { challengeId: string, options: WebAuthnOptionsJSON, token: string }

export interface PasskeyClient {
  /**
   * Modal sign-in, or arms passkey autofill (conditional mediation) with `autofill: true`. With `prepared`
   * (from `signInOptions`), it makes no request before the prompt.
   */
  signIn (options: { action: string, autofill?: boolean, prepared?: SignInOptions }): Promise<PasskeyResult<SignInValue>>
  /** Creates a passkey for the user the enrollment token belongs to; with `prepared`, no request before the prompt. */
  signUp (options: { token: string, prepared?: SignUpOptions }): Promise<PasskeyResult<SignUpValue>>
  /** Aborts the WebAuthn ceremony in progress, if any. */
  abort (): void
  /** Fetches a sign-in's options ahead of its prompt. Without it, elements let `signIn` fetch them. */
  signInOptions? (options: { action: string }): Promise<PasskeyResult<SignInOptions>>
  /** Fetches an enrollment's options ahead of its prompt. Without it, elements let `signUp` fetch them. */
  signUpOptions? (options: { token: string }): Promise<PasskeyResult<SignUpOptions>>
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

/** True for Authsignal options of the expected shape (from the network or from a server-rendered attribute). */
export function isSignInOptions (value: unknown): value is SignInOptions {
  const { challengeId, options } = (value ?? {}) as Partial<SignInOptions>
  return typeof challengeId === 'string' && challengeId !== '' && challengeId.length <= 256 &&
    typeof options === 'object' && options != null && typeof options.challenge === 'string' && /^[\w-]{16,1024}$/.test(options.challenge)
}

// An answered error: the SDK tells them apart by an `error` key (never by the HTTP status).
function failed<T extends object> (answer: T): answer is Extract<T, { error: string }> {
  return 'error' in answer
}
const errorOf = (answer: { error: string }): ReturnType<typeof fromApiError> => fromApiError((answer as { errorCode?: string }).errorCode ?? answer.error)

type RegistrationCeremony = typeof import('@simplewebauthn/browser').startRegistration
let startRegistration: RegistrationCeremony | undefined

/** The built-in client's registration ceremony, provided by <passkey-enroll>'s module (sign-in pages do not load it). */
export function provideRegistration (ceremony: RegistrationCeremony): void {
  startRegistration = ceremony
}

export function createPasskeyClient ({ tenantId, baseUrl }: PasskeyClientOptions): PasskeyClient {
  const api = new PasskeyApiClient({ tenantId, baseUrl })
  const anonymousId = deviceId()
  const client: PasskeyClient = {
    async signInOptions ({ action }) {
      try {
        const challenge = await api.challenge({ action })
        if (failed(challenge)) return errorOf(challenge)
        const answer = await api.authenticationOptions({ challengeId: challenge.challengeId })
        if (failed(answer)) return errorOf(answer)
        const prepared = { challengeId: answer.challengeId, options: answer.options }
        return isSignInOptions(prepared) ? { ok: true, value: prepared } : { ok: false, code: 'unknown', reason: 'unexpected authentication options' }
      } catch (error) {
        return fromThrown(error)
      }
    },
    async signIn ({ action, autofill = false, prepared }) {
      let options = prepared
      if (options == null) {
        const fetched = await client.signInOptions!({ action })
        if (!fetched.ok) return fetched
        options = fetched.value
      }
      let picked = false
      try {
        const credential = await startAuthentication({ optionsJSON: options.options as never, useBrowserAutofill: autofill })
        picked = true
        const answer = await api.verify({ authenticationCredential: credential, deviceId: anonymousId, challengeId: options.challengeId })
        if (failed(answer)) return { ...errorOf(answer), picked }
        if (answer.isVerified && typeof answer.accessToken === 'string') return { ok: true, value: { token: answer.accessToken, userId: answer.userId } }
        return { ok: false, code: 'not-allowed', reason: 'not verified', picked }
      } catch (error) {
        return { ...fromThrown(error), picked }
      }
    },
    async signUpOptions ({ token }) {
      try {
        // What `passkey.signUp({ token })` sends: no username (Authsignal takes the token's user), a platform authenticator.
        const answer = await api.registrationOptions({ token, authenticatorAttachment: 'platform' })
        if (failed(answer)) return errorOf(answer)
        const prepared = { challengeId: answer.challengeId ?? '', options: answer.options as unknown as WebAuthnOptionsJSON, token }
        return typeof prepared.options?.challenge === 'string' ? { ok: true, value: prepared } : { ok: false, code: 'unknown', reason: 'unexpected registration options' }
      } catch (error) {
        return fromThrown(error)
      }
    },
    async signUp ({ token, prepared }) {
      let options = prepared?.token === token ? prepared : undefined
      if (options == null) {
        const fetched = await client.signUpOptions!({ token })
        if (!fetched.ok) return fetched
        options = fetched.value
      }
      if (startRegistration == null) return { ok: false, code: 'unsupported', reason: 'the registration ceremony is not loaded' }
      try {
        const credential = await startRegistration({ optionsJSON: options.options as never })
        const answer = await api.addAuthenticator({ registrationCredential: credential, token, conditionalCreate: false, challengeId: options.challengeId })
        if (failed(answer)) return errorOf(answer)
        if (answer.userAuthenticator == null && answer.accessToken == null) return { ok: false, code: 'unknown', reason: 'passkey not added' }
        return { ok: true, value: { userAuthenticatorId: answer.userAuthenticator?.userAuthenticatorId, credentialId: credential.id } }
      } catch (error) {
        return fromThrown(error)
      }
    },
    abort () {
      WebAuthnAbortService.cancelCeremony()
    }
  }
  return client
}

// What the SDK's `Authsignal` constructor does for the device id it sends with a passkey verification.
function deviceId (): string {
  const existing = getCookie(DEFAULT_COOKIE_NAME)
  if (existing != null && existing !== '') return existing
  const id = uuidV4()
  setCookie({ name: DEFAULT_COOKIE_NAME, value: id, expire: Infinity, domain: getCookieDomain(), secure: document.location.protocol !== 'http:' })
  return id
}
