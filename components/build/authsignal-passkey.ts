// Build-time view of `@authsignal/browser` that keeps only its passkey client.
//
// The SDK ships one flat ESM file whose only entry point is the `Authsignal` class, and that class's
// constructor instantiates every authenticator client (TOTP, email, SMS, push, QR code, popup handler…):
// importing it bundles ~16 KB gzip of which the elements use the passkey part only. This plugin serves the
// SDK's own `dist/index.js` as the virtual module `virtual:authsignal-passkey`, byte for byte but for three
// changes, so the bundler can drop what is unused:
//   1. TypeScript's down-levelled class IIFEs (`/** @class */ (function () {…}())`) get a `@__PURE__`
//      annotation — they only define classes — so unused clients are tree-shaken;
//   2. the two methods only `passkey.isAvailableOnDevice()` uses (it and the API client's
//      `getPasskeyAuthenticator`) are cut: a class's prototype methods cannot be tree-shaken, the elements
//      never call them, and their bytes were on every login page;
//   3. an `export { … }` line for the internals the elements call: `Passkey` (what `authsignal.passkey`
//      is), SimpleWebAuthn's `WebAuthnAbortService` (the one the SDK's ceremonies use, so the page's
//      autofill can be aborted before a modal ceremony), its feature checks, and the cookie/uuid helpers
//      the `Authsignal` constructor uses for the device id; plus `resetAutofillRequestPending()`, because
//      `signIn({ autofill: true })` leaves its module flag set when a fetch rejects (dist/index.js, Passkey
//      signIn: the flag is only cleared on answered errors), after which autofill could never be re-armed.
// The SDK version is pinned; if its layout changes, the anchors below fail the build with a clear message.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { Plugin } from 'vite'

export const AUTHSIGNAL_PASSKEY_MODULE = 'virtual:authsignal-passkey'
const RESOLVED_ID = '\0' + AUTHSIGNAL_PASSKEY_MODULE

const CLASS_IIFE = '/** @class */ (function'
const ANCHORS = [
  'var Passkey = /** @class */ (function',
  'const WebAuthnAbortService = new BaseWebAuthnAbortService();',
  'var autofillRequestPending = false;',
  'function browserSupportsWebAuthn()',
  'function browserSupportsWebAuthnAutofill()',
  'function getCookie(name)',
  'function setCookie(_a)',
  'function getCookieDomain()',
  'function v4(options, buf, offset)',
  'var DEFAULT_COOKIE_NAME = "__as_aid";'
]

// Methods the elements never call, each from its anchor to the end of its definition (`    };` at its indentation).
export const UNUSED_METHODS = [
  '    Passkey.prototype.isAvailableOnDevice = function',
  '    PasskeyApiClient.prototype.getPasskeyAuthenticator = function'
]

const EXPORTS = `
export { Passkey, WebAuthnAbortService, browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, getCookie, setCookie, getCookieDomain, v4 as uuidV4, DEFAULT_COOKIE_NAME };
export function resetAutofillRequestPending() { autofillRequestPending = false; }
`

/** Rewrites the SDK's source as described above; exported for the build's own test. */
export function exposePasskeyClient (source: string, file = '@authsignal/browser'): string {
  const missing = ANCHORS.filter(anchor => !source.includes(anchor))
  if (missing.length > 0) {
    throw new Error(`components: ${file} no longer has the layout build/authsignal-passkey.ts expects ` +
      `(missing ${missing.map(m => JSON.stringify(m)).join(', ')}); check the pinned @authsignal/browser version`)
  }
  let trimmed = source
  for (const anchor of UNUSED_METHODS) {
    const start = trimmed.indexOf(anchor)
    const end = start === -1 ? -1 : trimmed.indexOf('\n    };\n', start)
    if (start === -1 || end === -1 || trimmed.indexOf(anchor, start + 1) !== -1) {
      throw new Error(`components: ${file} no longer has the layout build/authsignal-passkey.ts expects (method ${JSON.stringify(anchor.trim())}); check the pinned @authsignal/browser version`)
    }
    trimmed = trimmed.slice(0, start) + trimmed.slice(end + '\n    };\n'.length)
  }
  if (UNUSED_METHODS.some(anchor => trimmed.includes(anchor.trim().split(' = ')[0]!.split('.').at(-1)!))) {
    throw new Error(`components: ${file} still calls a method build/authsignal-passkey.ts cuts`)
  }
  return trimmed.replaceAll(CLASS_IIFE, '/* @__PURE__ */ (function') + EXPORTS
}

export function authsignalPasskey (): Plugin {
  const sdkFile = createRequire(import.meta.url).resolve('@authsignal/browser')
  return {
    name: 'authsignal-passkey',
    resolveId (id) {
      return id === AUTHSIGNAL_PASSKEY_MODULE ? RESOLVED_ID : undefined
    },
    async load (id) {
      if (id !== RESOLVED_ID) return undefined
      this.addWatchFile(sdkFile)
      return { code: exposePasskeyClient(await readFile(sdkFile, 'utf8'), sdkFile), moduleSideEffects: true }
    }
  }
}
