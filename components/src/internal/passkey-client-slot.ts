// The SDK client built from an element's server-rendered attributes: one per configuration on the page, so the
// page's elements share it — and with it the sign-in options fetched ahead of their prompts (one slot per
// client and action: what autofill holds, the button takes after aborting it, and the reverse).
import { createPasskeyClient, type PasskeyClient, type SignInOptions } from './authsignal.js'
import { OptionsSlot, whenVisible } from './options-slot.js'
import { isHttpUrl } from './urls.js'

/** How long fetched sign-in options are used for, unless an element says less (`refresh-interval`). */
export const OPTIONS_LIFETIME_MS = 50_000

const clients = new Map<string, PasskeyClient>()
const slots = new WeakMap<PasskeyClient, Map<string, OptionsSlot<SignInOptions>>>()

/** The client for this tenant and API URL, or undefined when either is missing or not an http(s) URL. */
export function pageClient (tenantId: string, apiUrl: string): PasskeyClient | undefined {
  if (tenantId === '' || !isHttpUrl(apiUrl)) return undefined
  const baseUrl = apiUrl.replace(/\/+$/, '')
  const key = `${tenantId}\n${baseUrl}`
  let client = clients.get(key)
  if (client == null) {
    client = createPasskeyClient({ tenantId, baseUrl })
    clients.set(key, client)
  }
  return client
}

/** The page's sign-in options for this client and action; undefined for a client that cannot fetch them ahead. */
export function signInSlot (client: PasskeyClient, action: string): OptionsSlot<SignInOptions> | undefined {
  const fetch = client.signInOptions?.bind(client)
  if (fetch == null) return undefined
  let byAction = slots.get(client)
  if (byAction == null) {
    byAction = new Map()
    slots.set(client, byAction)
  }
  let slot = byAction.get(action)
  if (slot == null) {
    slot = new OptionsSlot(async () => await fetch({ action }), { lifetimeMs: OPTIONS_LIFETIME_MS })
    whenVisible(slot)
    byAction.set(action, slot)
  }
  return slot
}
