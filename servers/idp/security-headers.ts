// The IdP's CSP sources: the browser SDK calls the Authsignal API; the password form is redirected to
// Authsignal's hosted page, and finished sign-ins and sign-outs to the clients' redirect URIs.
import type { CspSources } from 'fastify-passkey-login'

export interface CspInput {
  /** Authsignal API base URL: the browser SDK calls it (connect-src). */
  apiUrl: string
  /** Authsignal's hosted challenge page: the password form is redirected there. @default origin of apiUrl */
  hostedPageOrigin?: string | undefined
  /** Clients' redirect URIs: after a form POST the browser is redirected there through the provider. */
  clients: Array<{ redirectUris: string[], postLogoutRedirectUris?: string[] }>
}

export function cspSources ({ apiUrl, hostedPageOrigin, clients }: CspInput): CspSources {
  return {
    connect: [apiUrl],
    formAction: [hostedPageOrigin ?? apiUrl, ...clients.flatMap(c => [...c.redirectUris, ...(c.postLogoutRedirectUris ?? [])])]
  }
}
