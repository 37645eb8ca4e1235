// The words of the plugin's pages, by key. Errors carry a key (see errors.ts and fastify-passkey-core's
// errors); every refusal a user sees is one of these generic sentences, never the check that failed
// (enumeration, docs/security.md E2) and never an internal message (F7).
import type { CoreMessageKey } from 'fastify-passkey-core'

export const MESSAGES = {
  credentials: 'The username or password is incorrect.',
  token: 'We could not complete your sign-in. Please try again.',
  refused: 'We could not sign you in. Please try again later or contact support.',
  unavailable: 'Sign-in is temporarily unavailable. Please try again in a moment.',
  startAgain: 'Your sign-in was interrupted. Please enter your username and password again.',
  expired: 'This sign-in request has expired or was started in another browser. Go back to the application and sign in again.',
  cannotFinish: 'This sign-in request asks for something this page cannot do. Go back to the application and try again, or contact the site.',
  crossOrigin: 'This form was submitted from another site. Please sign in from this page.',
  tooMany: 'Too many sign-in attempts. Please wait a few minutes and try again.',
  invalid: 'The request was not valid. Please try again.',
  unexpected: 'Something went wrong on our side. Please try again.',
  notFound: 'There is no sign-in page here. Go back to the application and sign in again.'
} as const satisfies Record<CoreMessageKey | string, string>

export type MessageKey = keyof typeof MESSAGES
