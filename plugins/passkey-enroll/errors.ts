// Coded errors, prefixed FST_ like the @fastify/* plugins. Option errors fail the boot.
import createError from '@fastify/error'

export const FST_PASSKEY_ENROLL_INVALID_OPTION = createError(
  'FST_PASSKEY_ENROLL_INVALID_OPTION', 'passkey-enroll: option "%s" %s', 500, TypeError)
