// The user's passkeys as Authsignal's Server API knows them (the only system of record: the app keeps
// no parallel list), shaped for a page: name, created, last used, synced or bound to one device.
import { withDeadline } from '../shared/deadline.js'
import { USER_ID, type AuthsignalEnrollClient } from './options.js'

export interface PasskeySummary {
  /** Authsignal's userAuthenticatorId: what removal takes. */
  id: string
  name: string
  createdAt: string
  lastUsedAt?: string
  /** Backed up to a passkey provider (multi-device) rather than bound to one authenticator. */
  synced: boolean
}

export interface PasskeyDirectoryDeps {
  authsignal: Pick<AuthsignalEnrollClient, 'getAuthenticators' | 'deleteAuthenticator'>
  timeoutMs: number
}

/** The user's passkeys, oldest first (other authenticator types, e.g. authenticator apps, are left out). */
export async function listPasskeys (deps: PasskeyDirectoryDeps, userId: string): Promise<PasskeySummary[]> {
  checkUserId(userId)
  const authenticators = await withDeadline('Authsignal getAuthenticators', deps.timeoutMs, async () => await deps.authsignal.getAuthenticators({ userId }))
  if (!Array.isArray(authenticators)) throw new TypeError('Authsignal getAuthenticators did not answer a list')
  return (authenticators as unknown as Array<Record<string, any>>)
    .filter(a => a?.verificationMethod === 'PASSKEY' && typeof a.userAuthenticatorId === 'string')
    .map(a => {
      const credential = (a.webauthnCredential ?? {}) as Record<string, unknown>
      const name = typeof credential.name === 'string' && credential.name !== '' ? credential.name : 'Passkey'
      return {
        id: a.userAuthenticatorId as string,
        name,
        createdAt: String(a.createdAt ?? a.verifiedAt ?? ''),
        ...(typeof a.lastVerifiedAt === 'string' ? { lastUsedAt: a.lastVerifiedAt } : {}),
        synced: credential.credentialBackedUp === true || credential.credentialDeviceType === 'multiDevice'
      }
    })
    .sort((x, y) => x.createdAt.localeCompare(y.createdAt))
}

/** Refuses, before any Authsignal call, a user id that would not stay one path segment of the API URL. */
export function checkUserId (userId: unknown): asserts userId is string {
  if (typeof userId !== 'string' || !USER_ID.test(userId)) {
    throw new TypeError('passkey-enroll: user ids must match ^[A-Za-z0-9_-]{1,64}$ to be used with Authsignal')
  }
}

/**
 * Removes one of the user's passkeys. Ownership is checked against the user's own list first, so an id
 * belonging to someone else (or not a passkey) is "not found" and nothing is deleted.
 */
export async function removePasskey (deps: PasskeyDirectoryDeps, userId: string, id: string): Promise<'removed' | 'not_found'> {
  const own = await listPasskeys(deps, userId)
  if (!own.some(p => p.id === id)) return 'not_found'
  await withDeadline('Authsignal deleteAuthenticator', deps.timeoutMs, async () => await deps.authsignal.deleteAuthenticator({ userId, userAuthenticatorId: id }))
  return 'removed'
}
