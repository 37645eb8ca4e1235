// Consent for first-party clients. oidc-provider asks for consent (its `consent` prompt) when the grant
// lacks a requested scope or claim; for a client the host marks first-party, consent is implied, so the
// plugin grants what the client asked for: at sign-in (one step, no extra round trip), and when a consent
// prompt arrives on its own (an SSO session signing in to another client, resource scopes). Any other
// client's consent prompt is refused with words that say so (FST_PASSKEY_LOGIN_CANNOT_FINISH).
import type Provider from 'oidc-provider'

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>

export interface GrantRequest {
  accountId: string
  clientId: string
  /** An existing grant of this interaction, reused when it is this account's and this client's. */
  grantId?: string | undefined
  scopes: string[]
  claims: string[]
  resourceScopes: Record<string, string[]>
}

/** Creates or extends the grant; answers its id. */
export async function grantConsent (provider: Provider, request: GrantRequest): Promise<string> {
  let grant = request.grantId != null ? await provider.Grant.find(request.grantId) : undefined
  // A grant of the account previously signed in on this browser is not this account's.
  if (grant == null || grant.accountId !== request.accountId || grant.clientId !== request.clientId) {
    grant = new provider.Grant({ accountId: request.accountId, clientId: request.clientId })
  }
  if (request.scopes.length > 0) grant.addOIDCScope(request.scopes.join(' '))
  if (request.claims.length > 0) grant.addOIDCClaims(request.claims)
  for (const [indicator, scopes] of Object.entries(request.resourceScopes)) grant.addResourceScope(indicator, scopes.join(' '))
  return await grant.save()
}

/** What the authorization request asked for (scopes and `claims` parameter), granted at sign-in. */
export function requestedAtSignIn (interaction: Interaction): { scopes: string[], claims: string[] } {
  const scopes = String(interaction.params['scope'] ?? '').split(' ').filter(Boolean)
  const claims = new Set<string>()
  const parameter = interaction.params['claims']
  if (typeof parameter === 'string') {
    try {
      const parsed = JSON.parse(parameter) as Record<string, unknown>
      for (const target of ['id_token', 'userinfo']) {
        const requested = parsed?.[target]
        if (requested != null && typeof requested === 'object') for (const claim of Object.keys(requested)) claims.add(claim)
      }
    } catch {
      // oidc-provider has already refused a malformed claims parameter; nothing to grant.
    }
  }
  return { scopes, claims: [...claims] }
}

/** What a consent prompt says is missing. */
export function missingFromPrompt (interaction: Interaction): { scopes: string[], claims: string[], resourceScopes: Record<string, string[]> } {
  const details = interaction.prompt.details as { missingOIDCScope?: string[], missingOIDCClaims?: string[], missingResourceScopes?: Record<string, string[]> }
  return { scopes: details.missingOIDCScope ?? [], claims: details.missingOIDCClaims ?? [], resourceScopes: details.missingResourceScopes ?? {} }
}
