// oidc-provider for the demo IdP, configured the way the security checklist asks (§1.3, H4):
// explicit signing keys and cookie keys (never the public development keystore), code flow only,
// PKCE (S256) required for every client, exact redirect URIs, devInteractions off, no CORS for
// clients, prefixed cookie names (no collision with the app on another localhost port, C4).
// The issuer is the bare origin; the protocol endpoints live under /oidc (see OIDC_ROUTES).
import type { JWK } from 'jose'
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider'
import type { AccountDirectory } from './accounts.js'

export interface IdpClient {
  clientId: string
  clientSecret: string
  redirectUris: string[]
  postLogoutRedirectUris: string[]
  /** Shown on the login page ("to continue to …"). */
  clientName?: string
}

export const COOKIE_NAMES = { session: 'idp_session', interaction: 'idp_interaction', resume: 'idp_interaction_resume' } as const

/** Protocol endpoints under /oidc; discovery stays at the issuer's /.well-known (and is aliased under /oidc). */
export const OIDC_ROUTES = {
  authorization: '/oidc/auth',
  backchannel_authentication: '/oidc/backchannel',
  code_verification: '/oidc/device',
  challenge: '/oidc/challenge',
  device_authorization: '/oidc/device/auth',
  end_session: '/oidc/session/end',
  introspection: '/oidc/token/introspection',
  jwks: '/oidc/jwks',
  pushed_authorization_request: '/oidc/request',
  registration: '/oidc/reg',
  revocation: '/oidc/token/revocation',
  token: '/oidc/token',
  userinfo: '/oidc/me',
  credential: '/oidc/credential'
} as const

export const INTERACTION_PATH = '/interaction'
export const SCOPES = ['openid', 'profile', 'email'] as const

export interface ProviderPages {
  error (ctx: KoaContextWithOIDC, out: { error: string, error_description?: string }): Promise<string>
  logout (ctx: KoaContextWithOIDC, form: string): Promise<string>
  loggedOut (ctx: KoaContextWithOIDC): Promise<string>
}

export interface ProviderSettings {
  issuer: string
  clients: IdpClient[]
  jwks: { keys: JWK[] }
  cookieKeys: string[]
  accounts: AccountDirectory
  pages: ProviderPages
  /** Behind a TLS-terminating proxy: trust X-Forwarded-Proto/Host. @default false */
  trustProxy?: boolean
  /** Where oidc-provider keeps sessions, interactions, grants and tokens (createOidcAdapter). */
  adapter: Configuration['adapter']
  ttl?: { interactionSeconds?: number, sessionSeconds?: number }
}

export function createProvider (settings: ProviderSettings): Provider {
  const secureCookies = new URL(settings.issuer).protocol === 'https:'
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure: secureCookies, overwrite: true }
  const { accounts, pages } = settings

  const configuration: Configuration = {
    adapter: settings.adapter,
    clients: settings.clients.map(client => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      post_logout_redirect_uris: client.postLogoutRedirectUris,
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...(client.clientName != null ? { client_name: client.clientName } : {})
    })),
    jwks: settings.jwks,
    cookies: { keys: settings.cookieKeys, names: { ...COOKIE_NAMES }, long: cookieOptions, short: cookieOptions },
    responseTypes: ['code'],
    pkce: { required: () => true },
    scopes: [...SCOPES],
    // auth_time and amr ride with the openid scope, so every ID token says when and how (RFC 8176) the
    // user signed in: the app judges recency before letting a passkey be added (checklist A10).
    claims: {
      acr: null,
      sid: null,
      iss: null,
      openid: ['sub', 'auth_time', 'amr'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified']
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => { ctx.type = 'html'; ctx.body = await pages.logout(ctx, form) },
        postLogoutSuccessSource: async ctx => { ctx.type = 'html'; ctx.body = await pages.loggedOut(ctx) }
      }
    },
    interactions: { url: async (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}` },
    routes: { ...OIDC_ROUTES },
    async findAccount (_ctx, sub) {
      const record = accounts.get(sub)
      if (record == null || record.active === false) return undefined
      return {
        accountId: record.id,
        async claims () {
          return {
            sub: record.id,
            preferred_username: record.username,
            ...(record.name != null ? { name: record.name } : {}),
            ...(record.email != null ? { email: record.email, email_verified: false } : {})
          }
        }
      }
    },
    // No browser-based clients: no CORS on the token or userinfo endpoints.
    clientBasedCORS: () => false,
    async renderError (ctx, out, error) {
      ctx.type = 'html'
      // Its storage (Redis) down or slow: an outage in words, like Authsignal's, not "server_error".
      if ((error as { statusCode?: unknown } | undefined)?.statusCode === 503) {
        ctx.status = 503
        ctx.body = await pages.error(ctx, { error: 'temporarily_unavailable', error_description: 'Sign-in is temporarily unavailable. Please try again in a moment.' })
        return
      }
      ctx.body = await pages.error(ctx, out as { error: string, error_description?: string })
    },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: settings.ttl?.interactionSeconds ?? 1800,
      Session: settings.ttl?.sessionSeconds ?? 86400,
      Grant: settings.ttl?.sessionSeconds ?? 86400
    }
  }

  const provider = new Provider(settings.issuer, configuration)
  provider.proxy = settings.trustProxy === true
  return provider
}
