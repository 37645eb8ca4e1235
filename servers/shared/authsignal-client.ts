// The one way our servers construct @authsignal/node. The SDK installs its retry interceptor on the
// *global* axios instance at every construction and sets no timeout (security checklist F2, F3), so:
// - the retry interceptor is installed once per process (the first client), with one retry; later
//   clients pass `retries: 0` because the global interceptor already covers their requests;
// - axios gets a default timeout so a silent Authsignal cannot hold sockets forever. Callers still
//   enforce their own deadline per call (see plugins' `withDeadline`).
import { Authsignal } from '@authsignal/node'
import axios from 'axios'

export interface AuthsignalClientOptions {
  secret: string
  apiUrl: string
  /** Socket-level timeout for every SDK request. @default 5000 */
  timeoutMs?: number
}

let retryInterceptorInstalled = false
const clients = new Map<string, Authsignal>()

export function createAuthsignalClient ({ secret, apiUrl, timeoutMs = 5000 }: AuthsignalClientOptions): Authsignal {
  const key = `${apiUrl}\u0000${secret}`
  const existing = clients.get(key)
  if (existing != null) return existing
  axios.defaults.timeout = timeoutMs
  const client = new Authsignal({ apiSecretKey: secret, apiUrl, retries: retryInterceptorInstalled ? 0 : 1 })
  retryInterceptorInstalled = true
  clients.set(key, client)
  return client
}
