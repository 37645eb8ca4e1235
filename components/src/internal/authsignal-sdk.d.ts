// Types of the build-time module `virtual:authsignal-passkey` (components/build/authsignal-passkey.ts):
// the SDK's own dist/index.js with its passkey internals exported. `Passkey` is typed by the SDK itself.
declare module 'virtual:authsignal-passkey' {
  export { Passkey } from '@authsignal/browser/dist/passkey'
  export const WebAuthnAbortService: { cancelCeremony (): void }
  export function browserSupportsWebAuthn (): boolean
  export function browserSupportsWebAuthnAutofill (): Promise<boolean>
  export function getCookie (name: string): string | null
  export function setCookie (options: { name: string, value: string, expire: number, domain: string, secure: boolean }): void
  export function getCookieDomain (): string
  export function uuidV4 (): string
  export const DEFAULT_COOKIE_NAME: string
  export function resetAutofillRequestPending (): void
}
