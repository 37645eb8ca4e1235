// Coded errors, prefixed FST_ like the @fastify/* plugins. Option errors fail the boot; the others are
// thrown inside the plugin's routes and turned into friendly pages by its error handler.
import createError from '@fastify/error'

export const FST_PASSKEY_LOGIN_INVALID_OPTION = createError(
  'FST_PASSKEY_LOGIN_INVALID_OPTION', 'passkey-login: option "%s" %s', 500, TypeError)

/** No interaction for this browser at this URL: cookie missing, interaction expired, or another interaction's uid. */
export const FST_PASSKEY_LOGIN_INTERACTION_NOT_FOUND = createError(
  'FST_PASSKEY_LOGIN_INTERACTION_NOT_FOUND', 'The sign-in request was not found or has expired.', 400)

/** The interaction asks for something other than a login (e.g. consent), which this plugin does not handle. */
export const FST_PASSKEY_LOGIN_UNSUPPORTED_PROMPT = createError(
  'FST_PASSKEY_LOGIN_UNSUPPORTED_PROMPT', 'The sign-in request asks for the unsupported prompt "%s".', 400)

/** A state-changing request that did not come from a page of this origin (login CSRF). */
export const FST_PASSKEY_LOGIN_CROSS_ORIGIN = createError(
  'FST_PASSKEY_LOGIN_CROSS_ORIGIN', 'Cross-origin form submissions are not accepted.', 403)

/** Too many requests from one address, or too many password attempts for one username (checklist E1). */
export const FST_PASSKEY_LOGIN_TOO_MANY_REQUESTS = createError(
  'FST_PASSKEY_LOGIN_TOO_MANY_REQUESTS', 'Too many sign-in attempts.', 429)
