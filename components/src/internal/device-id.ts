// The device id a passkey verification sends (`deviceId`), kept as the SDK's `Authsignal` constructor keeps
// it: the `__as_aid` cookie if set, else a new random UUID stored in that cookie (for the page's host, `www.`
// taken off, without expiry, `secure` but on http: pages).
//
// Written out here rather than taken from the SDK, whose helpers (`getCookie`, `setCookie`,
// `getCookieDomain`, compiled to ES5, and the `uuid` package's `v4` with its fallback for browsers without
// `crypto.randomUUID`) take several times the bytes for one fixed cookie name. test/elements-internals.test.ts
// proves both the same: the same cookie read and written, the same UUID from the same random bytes.

/** A random (version 4) UUID, as `uuid`'s `v4()` makes it: `crypto.randomUUID()`, else from `crypto.getRandomValues`. */
export function uuidV4 (): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  // Insecure contexts (plain http: but localhost) have no randomUUID.
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = Array.from(bytes, byte => (byte + 256).toString(16).slice(1)).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** This browser's device id: `__as_aid`, set the first time. */
export function deviceId (): string {
  // The SDK's `getCookie('__as_aid')`.
  const existing = decodeURIComponent(document.cookie.replace(/(?:(?:^|.*;)\s*__as_aid\s*=\s*([^;]*).*$)|^.*$/, '$1'))
  if (existing !== '') return existing
  const id = uuidV4()
  // The SDK's `setCookie({ name: '__as_aid', value: id, expire: Infinity, domain: getCookieDomain(), secure: … })`.
  const domain = document.location.hostname.replace('www.', '')
  document.cookie = `__as_aid=${id}; path=/; expires=Fri, 31 Dec 9999 23:59:59 GMT${domain !== '' ? `; domain=${domain}` : ''}${document.location.protocol !== 'http:' ? '; secure' : ''}`
  return id
}
