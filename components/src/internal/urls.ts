// URL checks for attributes that become links, navigations or fetches.

/**
 * True for http(s) URLs (absolute, or relative to `base` when given); false for `javascript:`, `data:`
 * and the like, so a bad attribute never becomes a link or a navigation.
 */
export function isHttpUrl (value: string | null | undefined, base?: string): boolean {
  if (value == null || value === '') return false
  try {
    const url = new URL(value, base)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}
