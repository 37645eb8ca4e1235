// English, the source language: the sign-in elements' words (in the shared runtime, the login page's path).
import type { PasskeySigninMessages } from './types.js'

export const signInEnglish: PasskeySigninMessages = {
  signInLabel: 'Sign in with a passkey',
  signInWaiting: 'Waiting for your passkey…',
  signInSigningIn: 'Signing you in…',
  signInNotConfigured: 'Passkey sign-in is not set up on this page.',
  signInNoForm: 'Passkey sign-in is not connected to a form on this page.',
  signInCancelled: 'Passkey sign-in cancelled.',
  signInNotAllowed: "That passkey wasn't accepted. Try again, or sign in with your password.",
  signInAlreadyRegistered: "Passkey sign-in didn't work. Try again, or sign in with your password.",
  signInNetwork: "Couldn't reach the sign-in service. Check your connection and try again.",
  signInExpired: 'The passkey request expired. Please try again.',
  signInReauthenticationRequired: 'Please sign in again.',
  signInUnsupported: "This browser can't use passkeys here.",
  signInUnknown: "Passkey sign-in didn't work. Try again, or sign in with your password."
}
