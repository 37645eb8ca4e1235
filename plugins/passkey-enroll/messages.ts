// The plugin's words, by key: what the JSON refusals say (`message`) and what a host's page may show. Each
// refusal also has a stable machine code (`error`), which <passkey-enroll> and host scripts read.
import type { CoreMessageKey } from 'fastify-passkey-core'

export const MESSAGES = {
  notSignedIn: 'Sign in to manage your passkeys.',
  reauthenticate: 'For your security, sign in again before changing your passkeys.',
  tooMany: 'Too many attempts. Please wait a few minutes and try again.',
  unavailable: 'Passkeys are temporarily unavailable. Please try again in a moment.',
  crossOrigin: 'This request did not come from this site.',
  misconfigured: 'Passkeys cannot be changed here right now: the site needs to fix its configuration.',
  invalid: 'The request was not valid.',
  unexpected: 'Something went wrong. Please try again.',
  notFound: 'There is nothing here.'
} as const satisfies Record<CoreMessageKey | string, string>

export type MessageKey = keyof typeof MESSAGES

/** The `error` field of each refusal, as the JSON routes answer it. */
export const REFUSAL_CODES: Record<MessageKey, string> = {
  notSignedIn: 'not_signed_in',
  reauthenticate: 'reauthentication_required',
  tooMany: 'too_many_requests',
  unavailable: 'unavailable',
  crossOrigin: 'cross_origin',
  misconfigured: 'auth_time_missing',
  invalid: 'invalid_request',
  unexpected: 'internal_error',
  notFound: 'not_found'
}
