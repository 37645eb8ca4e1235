// How SDK outcomes map to the elements' `passkey-error` codes. Pure, so it is tested without a browser.
import type { PasskeyErrorCode } from '../events.js'

export interface ClassifiedError { ok: false, code: PasskeyErrorCode, reason: string }

/** What every passkey client call answers: a value, or a classified error (never a throw). */
export type PasskeyResult<T> =
  | { ok: true, value: T }
  | { ok: false, code: PasskeyErrorCode, reason: string, /** The user had picked a passkey (verification started): the options were used. */ picked?: boolean }

/** Authsignal's answered errors (`errorCode`, or the older `error`). */
export function fromApiError (code: string | undefined): ClassifiedError {
  const reason = code ?? 'no error code'
  switch (code) {
    case 'expired_token':
    case 'invalid_token':
      return { ok: false, code: 'expired', reason }
    case 'network_error':
      return { ok: false, code: 'network', reason }
    // A passkey Authsignal does not know (removed, or from another tenant): `invalid_credential` today,
    // `unknown_credential` in newer services (browser SDK 1.21); both are a refusal, not an unknown failure.
    case 'invalid_credential':
    case 'unknown_credential':
    case 'challenge_failed':
      return { ok: false, code: 'not-allowed', reason }
    default:
      return { ok: false, code: 'unknown', reason }
  }
}

/** Exceptions: WebAuthn's DOMExceptions (possibly wrapped by SimpleWebAuthn, which keeps their name), fetch failures. */
export function fromThrown (error: unknown): ClassifiedError {
  const name = error instanceof Error ? error.name : ''
  const message = error instanceof Error ? error.message : String(error)
  const reason = `${name}: ${message}`
  switch (name) {
    // WebAuthn L3 §5.1.3/§5.1.4: the user cancelled, the prompt timed out, or no credential was offered.
    case 'NotAllowedError':
    case 'AbortError':
      return { ok: false, code: 'cancelled', reason }
    case 'InvalidStateError':
      return { ok: false, code: 'already-registered', reason }
    case 'SecurityError':
      return { ok: false, code: 'not-allowed', reason }
    case 'ConstraintError':
    case 'NotSupportedError':
      return { ok: false, code: 'unsupported', reason }
    // The authenticator failed (WebAuthn L3 §6.3.2, §6.3.3), whatever the browser's words.
    case 'UnknownError':
      return { ok: false, code: 'unknown', reason }
    // fetch() rejects with TypeError when the server is unreachable or CORS refuses; bad JSON is a SyntaxError.
    case 'TypeError':
    case 'SyntaxError':
      return { ok: false, code: 'network', reason }
  }
  if (/not support/i.test(message) || /No <input>/.test(message)) return { ok: false, code: 'unsupported', reason }
  return { ok: false, code: 'unknown', reason }
}
