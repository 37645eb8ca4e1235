// Builds an element's SDK client from its server-rendered attributes, once per configuration.
import { createPasskeyClient, type PasskeyClient } from './authsignal.js'
import { isHttpUrl } from './urls.js'

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
