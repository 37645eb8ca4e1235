// The app as an OpenID Connect relying party (openid-client): authorization code with PKCE (S256),
// state and nonce bound to the browser's session, the issuer checked on the response (RFC 9207) and in
// the ID token. Discovery happens on first use and is retried after a failure.
import * as client from 'openid-client'
import type { PendingSignIn } from './session.js'

export interface RelyingPartySettings {
  issuer: string
  clientId: string
  clientSecret: string
  redirectUri: string
  postLogoutRedirectUri: string
}

export interface SignedIn {
  sub: string
  name: string
  authTime: number
  idToken: string
}

export class RelyingParty {
  readonly #settings: RelyingPartySettings
  #config: Promise<client.Configuration> | undefined

  constructor (settings: RelyingPartySettings) {
    this.#settings = settings
  }

  async #configuration (): Promise<client.Configuration> {
    this.#config ??= client.discovery(new URL(this.#settings.issuer), this.#settings.clientId, undefined, client.ClientSecretBasic(this.#settings.clientSecret), {
      // The demo runs on http://localhost; openid-client refuses plain HTTP unless told.
      ...(new URL(this.#settings.issuer).protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
      timeout: 5
    })
    try {
      return await this.#config
    } catch (error) {
      this.#config = undefined
      throw error
    }
  }

  /** A new authorization request; `maxAge: 0` forces the user to authenticate again (re-authentication). */
  async start (returnTo: string, options: { maxAge?: number } = {}): Promise<{ url: URL, pending: PendingSignIn }> {
    const config = await this.#configuration()
    const pending: PendingSignIn = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      returnTo,
      startedAt: Date.now()
    }
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.#settings.redirectUri,
      scope: 'openid profile',
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      ...(options.maxAge != null ? { max_age: String(options.maxAge) } : {})
    })
    return { url, pending }
  }

  /** Redeems the code; throws on any mismatch (state, nonce, PKCE, issuer, signature, audience). */
  async finish (callbackUrl: URL, pending: PendingSignIn): Promise<SignedIn> {
    const config = await this.#configuration()
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true
    })
    const claims = tokens.claims()
    if (claims == null || typeof tokens.id_token !== 'string') throw new Error('the IdP answered without an ID token')
    if (typeof claims.auth_time !== 'number') throw new Error('the ID token has no auth_time')
    // Profile claims come from the UserInfo endpoint (the ID token carries only the sign-in's facts).
    let name = typeof claims.name === 'string' ? claims.name : undefined
    if (name == null) {
      try {
        const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub)
        if (typeof info.name === 'string') name = info.name
      } catch {}
    }
    return {
      sub: claims.sub,
      name: name ?? claims.sub,
      authTime: claims.auth_time,
      idToken: tokens.id_token
    }
  }

  /** The IdP's end-session URL (RP-initiated logout), or undefined when the IdP cannot be reached. */
  async endSessionUrl (idToken: string | undefined): Promise<URL | undefined> {
    try {
      const config = await this.#configuration()
      return client.buildEndSessionUrl(config, {
        post_logout_redirect_uri: this.#settings.postLogoutRedirectUri,
        ...(idToken != null ? { id_token_hint: idToken } : { client_id: this.#settings.clientId })
      })
    } catch {
      return undefined
    }
  }
}
