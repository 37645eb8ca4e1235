// The elements' events: typed `Event` subclasses with a readonly `detail`, bubbling and composed so a page
// can listen on `document`. Success events are cancelable: `preventDefault()` vetoes what follows.

/** Why a passkey ceremony did not succeed. */
export type PasskeyErrorCode =
  /** The user dismissed or cancelled the passkey prompt (or it timed out). Not an error to alarm about. */
  | 'cancelled'
  /** The browser or Authsignal refused the passkey (unknown passkey, wrong site, user verification failed). */
  | 'not-allowed'
  /** Enrollment: this authenticator already holds a passkey for the account. */
  | 'already-registered'
  /** The app or Authsignal could not be reached, or answered with something unreadable. */
  | 'network'
  /** The token or challenge expired before the ceremony finished. */
  | 'expired'
  /** Enrollment: the sign-in is too old; the user must sign in again (see `reauthenticate-url`). */
  | 'reauthentication-required'
  /** This browser has no WebAuthn, or no passkey autofill. */
  | 'unsupported'
  /** Anything else (including missing configuration). */
  | 'unknown'

export interface PasskeySigninDetail {
  /** The Authsignal token; the server validates it (`validateChallenge`) before signing the user in. */
  readonly token: string
}

export interface PasskeyEnrolledDetail {
  /** Authsignal's id for the new authenticator. */
  readonly userAuthenticatorId?: string
  /** The WebAuthn credential id (base64url). */
  readonly credentialId?: string
}

export interface PasskeyErrorDetail {
  readonly code: PasskeyErrorCode
  /** What the element told the user, in words. */
  readonly message: string
}

/**
 * A passkey sign-in succeeded. Fired before the element submits its form with the token;
 * `preventDefault()` stops the submission.
 */
export class PasskeySigninEvent extends Event {
  static readonly type = 'passkey-signin'
  readonly detail: PasskeySigninDetail

  constructor (detail: PasskeySigninDetail) {
    super(PasskeySigninEvent.type, { bubbles: true, composed: true, cancelable: true })
    this.detail = detail
  }
}

/**
 * A passkey was added. `preventDefault()` stops the navigation to `success-url`.
 */
export class PasskeyEnrolledEvent extends Event {
  static readonly type = 'passkey-enrolled'
  readonly detail: PasskeyEnrolledDetail

  constructor (detail: PasskeyEnrolledDetail) {
    super(PasskeyEnrolledEvent.type, { bubbles: true, composed: true, cancelable: true })
    this.detail = detail
  }
}

/** A passkey ceremony failed or was cancelled (`detail.code === 'cancelled'`). */
export class PasskeyErrorEvent extends Event {
  static readonly type = 'passkey-error'
  readonly detail: PasskeyErrorDetail

  constructor (detail: PasskeyErrorDetail) {
    super(PasskeyErrorEvent.type, { bubbles: true, composed: true, cancelable: false })
    this.detail = detail
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'passkey-signin': PasskeySigninEvent
    'passkey-enrolled': PasskeyEnrolledEvent
    'passkey-error': PasskeyErrorEvent
  }
}
