// The user's passkeys as Authsignal's Server API knows them (the only system of record: the app keeps no
// parallel list), shaped for a page: name, created, last used, synced or bound to one device.

export interface PasskeySummary {
  /** Authsignal's userAuthenticatorId: what removal takes. */
  id: string
  name: string
  createdAt: string
  lastUsedAt?: string
  /** Backed up to a passkey provider (multi-device) rather than bound to one authenticator. */
  synced: boolean
}

/** The passkeys among a user's authenticators (others, e.g. authenticator apps, are left out), oldest first. */
export function summarizePasskeys (authenticators: unknown): PasskeySummary[] {
  if (!Array.isArray(authenticators)) throw new TypeError('Authsignal getAuthenticators did not answer a list')
  return (authenticators as Array<Record<string, unknown> | null>)
    .filter((a): a is Record<string, unknown> => a?.['verificationMethod'] === 'PASSKEY' && typeof a['userAuthenticatorId'] === 'string')
    .map(a => {
      const credential = (a['webauthnCredential'] ?? {}) as Record<string, unknown>
      const name = typeof credential['name'] === 'string' && credential['name'] !== '' ? credential['name'] : 'Passkey'
      return {
        id: a['userAuthenticatorId'] as string,
        name,
        createdAt: String(a['createdAt'] ?? a['verifiedAt'] ?? ''),
        ...(typeof a['lastVerifiedAt'] === 'string' ? { lastUsedAt: a['lastVerifiedAt'] } : {}),
        synced: credential['credentialBackedUp'] === true || credential['credentialDeviceType'] === 'multiDevice'
      }
    })
    .sort((x, y) => x.createdAt.localeCompare(y.createdAt))
}
