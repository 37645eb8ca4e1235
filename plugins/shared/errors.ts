// Errors that carry their status and a message key (the anchor: oidc-provider's lib/helpers/errors.js, where
// each error knows its status, and @fastify/error's coded errors). The status decides the answer, the key
// decides the words a user reads (in the plugin's catalogue), and the code is stable for hosts and logs.
import createError, { type FastifyErrorConstructor } from '@fastify/error'
import type { FastifyError } from 'fastify'

/** Words every plugin needs, keyed; each plugin's catalogue has these keys and its own. */
export type CoreMessageKey = 'crossOrigin' | 'tooMany' | 'unavailable' | 'invalid' | 'unexpected' | 'notFound'

/** An error a route may throw: the plugin's error handler answers `statusCode` with the words of `messageKey`. */
export interface PasskeyError extends FastifyError {
  statusCode: number
  messageKey: string
}

export interface PasskeyErrorConstructor<K extends string = string> {
  /** Arguments fill the message's `%s` placeholders. */
  new (...args: Array<string | number>): PasskeyError & { messageKey: K }
  (...args: Array<string | number>): PasskeyError & { messageKey: K }
  readonly prototype: PasskeyError & { messageKey: K }
}

/** A coded error class whose instances carry `statusCode` and `messageKey`. */
export function createPasskeyError<K extends string> (code: string, message: string, statusCode: number, messageKey: K): PasskeyErrorConstructor<K> {
  const ErrorClass = createError(code, message, statusCode)
  Object.defineProperty(ErrorClass.prototype, 'messageKey', { value: messageKey, enumerable: false })
  return ErrorClass as unknown as PasskeyErrorConstructor<K>
}

export function isPasskeyError (error: unknown): error is PasskeyError {
  return error instanceof Error && typeof (error as Partial<PasskeyError>).messageKey === 'string' &&
    typeof (error as Partial<PasskeyError>).statusCode === 'number'
}

/** A state-changing request that did not come from a page of this origin (CSRF, login CSRF). */
export const FST_PASSKEY_CROSS_ORIGIN = createPasskeyError('FST_PASSKEY_CROSS_ORIGIN', 'Cross-origin requests are not accepted.', 403, 'crossOrigin')
/** A rate limit: per address, per username or per user. */
export const FST_PASSKEY_TOO_MANY_REQUESTS = createPasskeyError('FST_PASSKEY_TOO_MANY_REQUESTS', 'Too many requests.', 429, 'tooMany')
/** Authsignal (or a shared store) did not answer in time or failed: fail closed, in words. */
export const FST_PASSKEY_UNAVAILABLE = createPasskeyError('FST_PASSKEY_UNAVAILABLE', '%s is unavailable.', 503, 'unavailable')

/** The option error of a plugin: `<plugin>: option "<name>" <problem>`, failing the boot. */
export function createOptionError (code: string, plugin: string): FastifyErrorConstructor<{ code: string }, [string, string]> {
  return createError<[string, string]>(code, `${plugin}: option "%s" %s`, 500, TypeError)
}

/**
 * The answer for any error: a PasskeyError keeps its status and key; validation and other client errors
 * are 400-range "invalid"; anything else is a 500 "unexpected" whose message never leaves the server.
 */
export function classifyError (error: FastifyError): { status: number, messageKey: string, expected: boolean } {
  if (isPasskeyError(error)) return { status: error.statusCode, messageKey: error.messageKey, expected: error.statusCode < 500 || error.statusCode === 503 }
  if (error.validation != null) return { status: 400, messageKey: 'invalid', expected: true }
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) return { status, messageKey: status === 404 ? 'notFound' : 'invalid', expected: true }
  return { status: 500, messageKey: 'unexpected', expected: false }
}
