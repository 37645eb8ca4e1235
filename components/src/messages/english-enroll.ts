// English, the source language: <passkey-enroll>'s words (in its own module, off the login page's path).
import type { PasskeyEnrollMessages } from './types.js'

export const enrollEnglish: PasskeyEnrollMessages = {
  enrollLabel: 'Add a passkey',
  enrollPreparing: 'Getting ready…',
  enrollWaiting: "Follow your browser's prompt to create a passkey…",
  enrollAdded: 'Passkey added.',
  enrollReauthenticateLink: 'Sign in again',
  enrollNotConfigured: 'Adding a passkey is not set up on this page.',
  enrollCancelled: 'No passkey was added.',
  enrollNotAllowed: "The passkey couldn't be added. Please try again.",
  enrollAlreadyRegistered: 'This device already has a passkey for your account.',
  enrollNetwork: "Couldn't reach the server. Check your connection and try again.",
  enrollExpired: 'The request expired. Please try again.',
  enrollReauthenticationRequired: 'For your security, please sign in again before adding a passkey.',
  enrollUnsupported: "This browser can't create passkeys.",
  enrollUnknown: "Adding the passkey didn't work. Please try again."
}
