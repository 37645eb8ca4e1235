// Types of the build-time modules `virtual:authsignal-passkey` and `virtual:authsignal-registration`
// (components/build/authsignal-passkey.ts): the SDK's own dist/index.js with its passkey internals exported,
// typed by the SDK and SimpleWebAuthn themselves.
declare module 'virtual:authsignal-passkey' {
  export { startAuthentication } from '@simplewebauthn/browser'
  export const WebAuthnAbortService: { cancelCeremony (): void }
  export function browserSupportsWebAuthn (): boolean
  export function browserSupportsWebAuthnAutofill (): Promise<boolean>
}
declare module 'virtual:authsignal-registration' {
  export { startRegistration } from '@simplewebauthn/browser'
}
