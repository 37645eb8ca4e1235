// Coded errors, prefixed FST_ like the @fastify/* plugins, each carrying its status and the key of the words
// the user reads (messages.ts). Option errors fail the boot; the others are thrown inside the routes and
// answered by the plugin's error handler with its error page.
import { FST_PASSKEY_CROSS_ORIGIN, FST_PASSKEY_TOO_MANY_REQUESTS, FST_PASSKEY_UNAVAILABLE, createOptionError, createPasskeyError } from 'fastify-passkey-core'

export const FST_PASSKEY_LOGIN_INVALID_OPTION = createOptionError('FST_PASSKEY_LOGIN_INVALID_OPTION', 'passkey-login')

/** No interaction for this browser at this URL: cookie missing, interaction expired or finished, or another interaction's uid. */
export const FST_PASSKEY_LOGIN_INTERACTION_NOT_FOUND = createPasskeyError(
  'FST_PASSKEY_LOGIN_INTERACTION_NOT_FOUND', 'The sign-in request was not found or has expired.', 400, 'expired')

/**
 * The interaction asks for what the plugin cannot finish: consent for a client that is not first-party
 * (`firstPartyClients`), or a prompt other than login and consent.
 */
export const FST_PASSKEY_LOGIN_CANNOT_FINISH = createPasskeyError(
  'FST_PASSKEY_LOGIN_CANNOT_FINISH', 'The sign-in request needs the "%s" prompt, which passkey-login cannot finish here.', 400, 'cannotFinish')

/** Re-exported from fastify-passkey-core: a cross-origin POST (403), a rate limit (429), Authsignal down (503). */
export { FST_PASSKEY_CROSS_ORIGIN, FST_PASSKEY_TOO_MANY_REQUESTS, FST_PASSKEY_UNAVAILABLE }
