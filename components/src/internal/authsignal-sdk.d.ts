// Types of the build-time modules `virtual:authsignal-passkey` and `virtual:authsignal-registration`
// (components/build/authsignal-passkey.ts): the SDK's own dist/index.js with its passkey internals exported,
// typed by the SDK and SimpleWebAuthn themselves.
declare module 'virtual:authsignal-passkey' {
  export { startAuthentication } from '@simplewebauthn/browser'
  export const WebAuthnAbortService: { cancelCeremony (): void }
  export function browserSupportsWebAuthn (): boolean
  export function browserSupportsWebAuthnAutofill (): Promise<boolean>
  export function getCookie (name: string): string | null
  export function setCookie (options: { name: string, value: string, expire: number, domain: string, secure: boolean }): void
  export function getCookieDomain (): string
  export function uuidV4 (): string
  export const DEFAULT_COOKIE_NAME: string
}
declare module 'virtual:authsignal-registration' {
  export { startRegistration } from '@simplewebauthn/browser'
}
