// Builds an element's SDK client from its server-rendered attributes, once per configuration.
import { createPasskeyClient, type PasskeyClient } from './authsignal.js'

export class PasskeyClientSlot {
  #key = ''
  #client: PasskeyClient | undefined

  /** The client for this tenant and API URL, or undefined when either is missing or not an http(s) URL. */
  get (tenantId: string, apiUrl: string): PasskeyClient | undefined {
    if (tenantId === '' || !isHttpUrl(apiUrl)) return undefined
    const key = `${tenantId}\n${apiUrl}`
    if (this.#client == null || key !== this.#key) {
      this.#client = createPasskeyClient({ tenantId, baseUrl: apiUrl.replace(/\/+$/, '') })
      this.#key = key
    }
    return this.#client
  }
}

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
