// The elements' words: one catalogue per language, every key in every language (the type says so, and
// test/elements-messages.test.ts checks the shipped catalogues). English (en.ts) is the source.

/** What `<passkey-input>` and `<passkey-signin-button>` say. */
export interface PasskeySigninMessages {
  /** `<passkey-signin-button>`'s label when the page gives none. */
  readonly signInLabel: string
  /** Status while the browser's passkey prompt is open (sign-in). */
  readonly signInWaiting: string
  /** Status once a passkey was accepted, while the form is submitted. */
  readonly signInSigningIn: string
  /** Error: the element has no tenant id or API URL. */
  readonly signInNotConfigured: string
  /** Error: the element has no form to submit the token with. */
  readonly signInNoForm: string
  /** The user dismissed the prompt (or it timed out): calm, not an error. */
  readonly signInCancelled: string
  /** Error `not-allowed`: the passkey was refused. */
  readonly signInNotAllowed: string
  /** Error `already-registered` during a sign-in (unexpected). */
  readonly signInAlreadyRegistered: string
  /** Error `network`: Authsignal could not be reached. */
  readonly signInNetwork: string
  /** Error `expired`: the challenge or token expired. */
  readonly signInExpired: string
  /** Error `reauthentication-required`. */
  readonly signInReauthenticationRequired: string
  /** Error `unsupported`: no WebAuthn or no passkey autofill here. */
  readonly signInUnsupported: string
  /** Error `unknown`. */
  readonly signInUnknown: string
}

/** What `<passkey-enroll>` says. */
export interface PasskeyEnrollMessages {
  /** `<passkey-enroll>`'s label when the page gives none. */
  readonly enrollLabel: string
  /** Status while a fresh enrollment token is fetched after the click. */
  readonly enrollPreparing: string
  /** Status while the browser's prompt to create a passkey is open. */
  readonly enrollWaiting: string
  /** Success: the passkey was added. */
  readonly enrollAdded: string
  /** Link text to `reauthenticate-url` after `enrollReauthenticationRequired`. */
  readonly enrollReauthenticateLink: string
  /** Error: no token URL, tenant id or API URL. */
  readonly enrollNotConfigured: string
  /** The user dismissed the prompt: calm, not an error. */
  readonly enrollCancelled: string
  /** Error `not-allowed`. */
  readonly enrollNotAllowed: string
  /** Error `already-registered`: this authenticator already has a passkey for the account. */
  readonly enrollAlreadyRegistered: string
  /** Error `network`: the app or Authsignal could not be reached. */
  readonly enrollNetwork: string
  /** Error `expired`. */
  readonly enrollExpired: string
  /** Error `reauthentication-required`: the sign-in is too old to add a passkey. */
  readonly enrollReauthenticationRequired: string
  /** Error `unsupported`: this browser cannot create passkeys. */
  readonly enrollUnsupported: string
  /** Error `unknown`. */
  readonly enrollUnknown: string
}

/**
 * Everything the elements say. Keys are stable: servers may reuse them to render the same words.
 * Texts are plain (no markup, no placeholders); keep them short, calm and polite.
 */
export interface PasskeyMessages extends PasskeySigninMessages, PasskeyEnrollMessages {}

/** A key of the catalogue. */
export type PasskeyMessageKey = keyof PasskeyMessages

/** The languages the package ships (BCP 47). */
export const PASSKEY_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'pt-BR', 'nl', 'pl', 'ja', 'ko', 'zh-Hans'] as const

/** A language the package ships. */
export type PasskeyLanguage = typeof PASSKEY_LANGUAGES[number]
