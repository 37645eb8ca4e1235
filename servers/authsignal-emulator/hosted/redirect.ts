// Where the hosted page may send the browser back to: only an action's `redirectUrl`, and only when it
// is an absolute http(s) URL on one of the tenant's expected origins. Checked on every entry point, so
// the page can never be used as an open redirect (security checklist B1).

export type RedirectCheck =
  | { ok: true, url: URL }
  | { ok: false, reason: 'missing' | 'malformed' | 'not-allowed', origin?: string }

export function checkRedirectUrl (raw: string | undefined, expectedOrigins: readonly string[]): RedirectCheck {
  if (raw == null || raw === '') return { ok: false, reason: 'missing' }
  let url: URL
  try { url = new URL(raw) } catch { return { ok: false, reason: 'malformed' } }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'malformed' }
  // `http://localhost:5001@evil.example` parses to host evil.example; credentials on an allowed host
  // are refused too, since no return address needs them and they only serve to disguise one.
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'not-allowed', origin: url.origin }
  if (!expectedOrigins.includes(url.origin)) return { ok: false, reason: 'not-allowed', origin: url.origin }
  return { ok: true, url }
}

/**
 * The return address with `token` appended as the last query parameter (`?` or `&` as the URL needs),
 * keeping the rest of the query byte for byte (a caller's base64 `returnUrl` must survive) and any fragment.
 */
export function withToken (url: URL, token: string): string {
  const hash = url.hash
  const base = url.href.slice(0, url.href.length - hash.length)
  const separator = url.search === '' ? (base.endsWith('?') ? '' : '?') : (base.endsWith('&') ? '' : '&')
  return `${base}${separator}token=${encodeURIComponent(token)}${hash}`
}
