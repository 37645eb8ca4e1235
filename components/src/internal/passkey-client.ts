// The types of the elements' passkey client (src/internal/authsignal.ts builds the built-in one): apart, so
// that modules tested without a browser can use them without the build-time SDK module.
import type { ClientApi } from './authsignal-api.js'
import type { PasskeyResult } from './error-codes.js'

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

/** The built-in client's enrollment steps, with the client's API: <passkey-enroll>'s module provides them. */
export interface Enrollment {
  signUpOptions: (api: ClientApi, options: { token: string }) => Promise<PasskeyResult<SignUpOptions>>
  signUp: (api: ClientApi, options: { token: string, prepared?: SignUpOptions }) => Promise<PasskeyResult<SignUpValue>>
}
