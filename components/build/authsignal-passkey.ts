// Build-time view of `@authsignal/browser` that keeps only what the elements call: the SimpleWebAuthn
// ceremonies it bundles (the registration ceremony apart).
//
// The SDK ships one flat ESM file whose only entry point is the `Authsignal` class, whose constructor
// instantiates every authenticator client (TOTP, email, SMS, push, QR code, popup handler…), and a dialog
// library that starts itself on import: importing it bundles ~16 KB gzip of which the elements use a small
// part. This plugin serves the SDK's own `dist/index.js` as the virtual module `virtual:authsignal-passkey`,
// byte for byte but for these changes, so the bundler can drop what is unused:
//   1. TypeScript's down-levelled class IIFEs (`/** @class */ (function () {…}())`) get a `@__PURE__`
//      annotation — they only define classes — so unused clients (the `Passkey` class included: the elements
//      run its steps themselves, see src/internal/authsignal.ts) are tree-shaken;
//   2. what runs or stays for nothing is cut: the dialog library's start on import (it looks for
//      `[data-a11y-dialog]` elements at DOMContentLoaded; the SDK's popup creates its own dialog when it
//      opens, and the elements never open it) and its selector list, two enums only the dropped classes use,
//      the `uuid` package's top-level statements (src/internal/device-id.ts makes the device id), and in
//      SimpleWebAuthn's startAuthentication() a warning for another call structure than the elements' and
//      the wrapping of WebAuthn's errors in its own (REWRITES below says why their meaning is the same, and
//      what else it simplifies);
//   3. an `export { … }` line (instead of the SDK's) for the internals the elements call: SimpleWebAuthn's
//      `startAuthentication`, `startRegistration` and the `WebAuthnAbortService` they use, and its feature
//      checks. Not the SDK's API client (`PasskeyApiClient`, compiled to ES5 state machines) nor the cookie
//      and uuid helpers its `Authsignal` constructor uses for the device id: src/internal/authsignal-api.ts
//      sends the same requests and src/internal/device-id.ts keeps the same cookie, in a fraction of the
//      bytes (test/elements-internals.test.ts proves them the same), and the bundle drops the SDK's;
//   4. the registration ceremony — SimpleWebAuthn's `startRegistration` and `identifyRegistrationError`, and
//      the helpers only they then use (`WebAuthnError`, `isValidDomain`, `warnOnBrokenImplementation`), moved
//      as they are — is the module `virtual:authsignal-registration`, which imports what it shares from the
//      first: only <passkey-enroll> loads it, so sign-in pages do not carry it.
// The SDK version is pinned; if its layout changes, the anchors below fail the build with a clear message.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { Plugin } from 'vite'

export const AUTHSIGNAL_PASSKEY_MODULE = 'virtual:authsignal-passkey'
export const AUTHSIGNAL_REGISTRATION_MODULE = 'virtual:authsignal-registration'
const RESOLVED_ID = '\0' + AUTHSIGNAL_PASSKEY_MODULE
/** The registration module's id in the bundle (the build groups it with <passkey-enroll>). */
export const REGISTRATION_ID = '\0' + AUTHSIGNAL_REGISTRATION_MODULE

const CLASS_IIFE = '/** @class */ (function'
const ANCHORS = [
  'var Passkey = /** @class */ (function',
  'async function startAuthentication(options)',
  'async function startRegistration(options)',
  'const WebAuthnAbortService = new BaseWebAuthnAbortService();',
  'function browserSupportsWebAuthn()',
  'function browserSupportsWebAuthnAutofill()'
]

// Code the elements never run, each from its anchor to the end of its statement (`end`, at its indentation).
export const UNUSED_CODE = [
  // The dialog library's start on import (after `function instantiateDialogs()`), and its selectors, whose
  // template literals the bundler cannot prove pure.
  { anchor: "if (typeof document !== 'undefined') {\n    if (document.readyState === 'loading') {\n        document.addEventListener('DOMContentLoaded', instantiateDialogs);", end: '\n}\n' },
  { anchor: 'const not = {\n  inert:', end: '\n];\n' },
  // The `uuid` package's top-level statements (v4's hex table, its `crypto.randomUUID` lookup), which the
  // bundler keeps though nothing calls v4 any more (src/internal/device-id.ts makes the device id).
  { anchor: 'const byteToHex = [];\n\nfor (let i = 0; i < 256; ++i) {', end: '\n}\n' },
  { anchor: "const randomUUID = typeof crypto !== 'undefined' && crypto.randomUUID && crypto.randomUUID.bind(crypto);\nvar native = {", end: '\n};\n' },
  // SimpleWebAuthn's warning for callers of startAuthentication() with the options as its argument (the
  // elements pass `{ optionsJSON }`), and its guess at why a sign-in's WebAuthn call failed (see REWRITES).
  { anchor: "    // @ts-ignore: Intentionally check for old call structure to warn about improper API call\n    if (!options.optionsJSON && options.challenge) {\n        console.warn('startAuthentication() was not called correctly.", end: '\n    }\n' },
  { anchor: 'function identifyAuthenticationError({ error, options, }) {', end: '\n}\n' },
  // Enums of the popup and the token cache, and the SDK's own export line (which names them): replaced by EXPORTS.
  { anchor: 'var AuthsignalWindowMessage;\n(function (AuthsignalWindowMessage) {', end: '\n})(AuthsignalWindowMessage || (AuthsignalWindowMessage = {}));\n' },
  { anchor: 'var ErrorCode;\n(function (ErrorCode) {', end: '\n})(ErrorCode || (ErrorCode = {}));\n' },
  { anchor: 'export { Authsignal, AuthsignalWindowMessage, ErrorCode, WebAuthnError, Whatsapp };', end: '\n' }
]
// Code changed in place, each found once (or `count` times). startAuthentication() throws what navigator.credentials.get()
// threw, not identifyAuthenticationError's wrapper of it: a WebAuthnError that keeps the error's name and
// replaces its message in four cases (an abort, an invalid domain or RP ID, an UnknownError), for the SDK's
// logs. The elements tell errors apart by name (src/internal/error-codes.ts, whose UnknownError case keeps
// the message out of it), so their codes are the same; test/elements-internals.test.ts proves it.
// Two more, for bytes only: SimpleWebAuthn's feature checks pass their answer through an identity function
// that its tests stub (`_…Internals.stubThis`), and its abort service declares its one field with
// `Object.defineProperty` (TypeScript's class-field output), which on a new instance is the assignment.
export const REWRITES: Array<{ from: string, to: string, count?: number }> = [
  { from: '        throw identifyAuthenticationError({ error: err, options: getOptions });\n', to: '        throw err;\n' },
  { from: '_browserSupportsWebAuthnInternals.stubThis(', to: '(' },
  { from: '_browserSupportsWebAuthnAutofillInternals.stubThis(', to: '(', count: 3 },
  {
    from: 'class BaseWebAuthnAbortService {\n    constructor() {\n        Object.defineProperty(this, "controller", {\n            enumerable: true,\n            configurable: true,\n            writable: true,\n            value: void 0\n        });\n    }\n',
    to: 'class BaseWebAuthnAbortService {\n    constructor() {\n        this.controller = void 0;\n    }\n'
  }
]
/** Names whose use after the cuts, outside the `Passkey` class (which the bundle drops), means kept code calls what was cut. */
const CUT_NAMES = ['instantiateDialogs()', 'identifyAuthenticationError(']
const PASSKEY_CLASS = { start: 'var Passkey = /** @class */ (function', end: '\n    return Passkey;\n}());\n' }

// Moved to the registration module: SimpleWebAuthn's two top-level functions and the helpers only they use
// (in the bundle: isValidDomain and WebAuthnError, with identifyAuthenticationError cut); and what they use from the rest.
export const REGISTRATION_CODE = [
  { anchor: 'function isValidDomain(hostname) {', end: '\n}\n' },
  { anchor: 'class WebAuthnError extends Error {', end: '\n}\n' },
  { anchor: 'function warnOnBrokenImplementation(methodName, cause) {', end: '\n}\n' },
  { anchor: 'function identifyRegistrationError({ error, options, }) {', end: '\n}\n' },
  { anchor: 'async function startRegistration(options) {', end: '\n}\n' }
]
const REGISTRATION_IMPORTS = [
  'browserSupportsWebAuthn', 'base64URLStringToBuffer', 'toPublicKeyCredentialDescriptor', 'WebAuthnAbortService',
  'bufferToBase64URLString', 'toAuthenticatorAttachment'
]

const EXPORTS = `
export { startAuthentication, WebAuthnAbortService, browserSupportsWebAuthn, browserSupportsWebAuthnAutofill };
export { ${REGISTRATION_IMPORTS.filter(name => !['WebAuthnAbortService', 'browserSupportsWebAuthn'].includes(name)).join(', ')} };
`

/** Rewrites the SDK's source as described above, into its two modules; exported for the build's own test. */
export function exposePasskeyClient (source: string, file = '@authsignal/browser'): { passkey: string, registration: string } {
  const missing = ANCHORS.filter(anchor => !source.includes(anchor))
  if (missing.length > 0) {
    throw new Error(`components: ${file} no longer has the layout build/authsignal-passkey.ts expects ` +
      `(missing ${missing.map(m => JSON.stringify(m)).join(', ')}); check the pinned @authsignal/browser version`)
  }
  let trimmed = source
  for (const { anchor, end } of UNUSED_CODE) {
    const start = trimmed.indexOf(anchor)
    const stop = start === -1 ? -1 : trimmed.indexOf(end, start)
    if (start === -1 || stop === -1 || trimmed.indexOf(anchor, start + 1) !== -1) {
      throw new Error(`components: ${file} no longer has the layout build/authsignal-passkey.ts expects (code ${JSON.stringify(anchor.trim().split('\n')[0])}); check the pinned @authsignal/browser version`)
    }
    trimmed = trimmed.slice(0, start) + trimmed.slice(stop + end.length)
  }
  for (const { from, to, count = 1 } of REWRITES) {
    const pieces = trimmed.split(from)
    if (pieces.length !== count + 1) {
      throw new Error(`components: ${file} no longer has the layout build/authsignal-passkey.ts expects (code ${JSON.stringify(from.trim().split('\n')[0])}, ${pieces.length - 1} times); check the pinned @authsignal/browser version`)
    }
    trimmed = pieces.join(to)
  }
  const start = trimmed.indexOf(PASSKEY_CLASS.start)
  const end = trimmed.indexOf(PASSKEY_CLASS.end, start)
  if (start === -1 || end === -1) throw new Error(`components: ${file} no longer has the layout build/authsignal-passkey.ts expects (the Passkey class); check the pinned @authsignal/browser version`)
  const kept = (trimmed.slice(0, start) + trimmed.slice(end)).replace('function instantiateDialogs()', '')
  const stillUsed = CUT_NAMES.filter(name => kept.includes(name))
  if (stillUsed.length > 0) {
    throw new Error(`components: ${file} still uses what build/authsignal-passkey.ts cuts (${stillUsed.join(', ')})`)
  }
  const moved: string[] = []
  for (const { anchor, end } of REGISTRATION_CODE) {
    const start = trimmed.indexOf(anchor)
    const stop = start === -1 ? -1 : trimmed.indexOf(end, start)
    if (start === -1 || stop === -1 || !trimmed.startsWith('\n', start - 1) || trimmed.indexOf(anchor, start + 1) !== -1) {
      throw new Error(`components: ${file} no longer has the layout build/authsignal-passkey.ts expects (${JSON.stringify(anchor.trim())}); check the pinned @authsignal/browser version`)
    }
    moved.push(trimmed.slice(start, stop + end.length))
    trimmed = trimmed.slice(0, start) + trimmed.slice(stop + end.length)
  }
  const undefinedImports = REGISTRATION_IMPORTS.filter(name => !new RegExp(`^(async )?(function|class|const|var|let) ${name}\\b`, 'm').test(trimmed))
  if (undefinedImports.length > 0 || /^(async )?function (startRegistration|identifyRegistrationError)\b/m.test(trimmed)) {
    throw new Error(`components: ${file} no longer has the layout build/authsignal-passkey.ts expects (the registration ceremony and its helpers); check the pinned @authsignal/browser version`)
  }
  return {
    passkey: trimmed.replaceAll(CLASS_IIFE, '/* @__PURE__ */ (function') + EXPORTS,
    registration: `import { ${REGISTRATION_IMPORTS.join(', ')} } from '${AUTHSIGNAL_PASSKEY_MODULE}';\n${moved.join('\n')}\nexport { startRegistration };\n`
  }
}

export function authsignalPasskey (): Plugin {
  const sdkFile = createRequire(import.meta.url).resolve('@authsignal/browser')
  let modules: Promise<{ passkey: string, registration: string }> | undefined
  return {
    name: 'authsignal-passkey',
    buildStart () {
      modules = undefined
    },
    resolveId (id) {
      if (id === AUTHSIGNAL_PASSKEY_MODULE) return RESOLVED_ID
      if (id === AUTHSIGNAL_REGISTRATION_MODULE) return REGISTRATION_ID
      return undefined
    },
    async load (id) {
      if (id !== RESOLVED_ID && id !== REGISTRATION_ID) return undefined
      this.addWatchFile(sdkFile)
      modules ??= readFile(sdkFile, 'utf8').then(source => exposePasskeyClient(source, sdkFile))
      const { passkey, registration } = await modules
      return { code: id === RESOLVED_ID ? passkey : registration, moduleSideEffects: true }
    }
  }
}
