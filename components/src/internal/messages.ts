// What the elements say, in words: progress and outcomes for the status region and `passkey-error`.
// Plain, calm language; a cancel is stated, never alarming.
import type { PasskeyErrorCode } from '../events.js'

export const signInText = {
  waiting: 'Waiting for your passkey…',
  signingIn: 'Signing you in…',
  notConfigured: 'Passkey sign-in is not set up on this page.',
  noForm: 'Passkey sign-in is not connected to a form on this page.'
} as const

const signInErrors: Record<PasskeyErrorCode, string> = {
  cancelled: 'Passkey sign-in cancelled.',
  'not-allowed': "That passkey wasn't accepted. Try again, or sign in with your password.",
  'already-registered': "Passkey sign-in didn't work. Try again, or sign in with your password.",
  network: "Couldn't reach the sign-in service. Check your connection and try again.",
  expired: 'The passkey request expired. Please try again.',
  'reauthentication-required': 'Please sign in again.',
  unsupported: "This browser can't use passkeys here.",
  unknown: "Passkey sign-in didn't work. Try again, or sign in with your password."
}

export const enrollText = {
  waiting: "Follow your browser's prompt to create a passkey…",
  preparing: 'Getting ready…',
  added: 'Passkey added.',
  reauthenticateLink: 'Sign in again',
  notConfigured: 'Adding a passkey is not set up on this page.'
} as const

const enrollErrors: Record<PasskeyErrorCode, string> = {
  cancelled: 'No passkey was added.',
  'not-allowed': "The passkey couldn't be added. Please try again.",
  'already-registered': 'This device already has a passkey for your account.',
  network: "Couldn't reach the server. Check your connection and try again.",
  expired: 'The request expired. Please try again.',
  'reauthentication-required': 'For your security, please sign in again before adding a passkey.',
  unsupported: "This browser can't create passkeys.",
  unknown: "Adding the passkey didn't work. Please try again."
}

export const signInError = (code: PasskeyErrorCode): string => signInErrors[code]
export const enrollError = (code: PasskeyErrorCode): string => enrollErrors[code]
