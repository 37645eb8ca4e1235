// The IdP's CSP: the browser SDK calls the Authsignal API; the password form is redirected to
// Authsignal's hosted page, and finished sign-ins and sign-outs to the clients' redirect URIs.
import { contentSecurityPolicy as csp } from '../shared/security-headers.js'

export { securityHeaders } from '../shared/security-headers.js'

export interface CspInput {
  /** Authsignal API base URL: the browser SDK calls it (connect-src). */
  apiUrl: string
  /** Authsignal's hosted challenge page: the password form is redirected there. @default origin of apiUrl */
  hostedPageOrigin?: string
  /** Clients' redirect URIs: after a form POST the browser is redirected there through the provider. */
  clients: Array<{ redirectUris: string[], postLogoutRedirectUris?: string[] }>
}

export function contentSecurityPolicy ({ apiUrl, hostedPageOrigin, clients }: CspInput): string {
  return csp({
    connect: [apiUrl],
    formAction: [hostedPageOrigin ?? apiUrl, ...clients.flatMap(c => [...c.redirectUris, ...(c.postLogoutRedirectUris ?? [])])]
  })
}
