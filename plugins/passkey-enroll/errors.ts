// Coded errors, prefixed FST_ like the @fastify/* plugins, each carrying its status and the key of its words
// (messages.ts). Option errors fail the boot; the others are answered by the plugin's error handler.
import { FST_PASSKEY_CROSS_ORIGIN, FST_PASSKEY_TOO_MANY_REQUESTS, FST_PASSKEY_UNAVAILABLE, createOptionError, createPasskeyError } from 'fastify-passkey-core'

export const FST_PASSKEY_ENROLL_INVALID_OPTION = createOptionError('FST_PASSKEY_ENROLL_INVALID_OPTION', 'passkey-enroll')

/** Nobody is signed in (`getUserId` answered nothing). */
export const FST_PASSKEY_ENROLL_NOT_SIGNED_IN = createPasskeyError('FST_PASSKEY_ENROLL_NOT_SIGNED_IN', 'Not signed in.', 401, 'notSignedIn')

/** The sign-in is older than `maxAuthAgeSeconds` (or in the future): sign in again, e.g. with `max_age=0`. */
export const FST_PASSKEY_ENROLL_REAUTHENTICATE = createPasskeyError('FST_PASSKEY_ENROLL_REAUTHENTICATE', 'The sign-in is not recent enough.', 401, 'reauthenticate')

/**
 * A signed-in user whose sign-in time is unknown: `getAuthTime` answered nothing, usually because the ID
 * token carries no `auth_time`. With oidc-provider, give the client `require_auth_time: true` (client
 * metadata), or send `max_age` in the authorization request, and keep the ID token's `auth_time` in the session.
 */
export const FST_PASSKEY_ENROLL_AUTH_TIME_MISSING = createPasskeyError(
  'FST_PASSKEY_ENROLL_AUTH_TIME_MISSING',
  'getAuthTime() answered nothing for a signed-in user: the ID token has no auth_time. At the IdP, give the client `require_auth_time: true` (oidc-provider client metadata) or send `max_age` in the authorization request, and keep the ID token\'s auth_time in the session',
  500,
  'misconfigured'
)

/** Re-exported from fastify-passkey-core: a cross-origin request (403), a rate limit (429), Authsignal down (503). */
export { FST_PASSKEY_CROSS_ORIGIN, FST_PASSKEY_TOO_MANY_REQUESTS, FST_PASSKEY_UNAVAILABLE }
