// passkey-enroll: lets the signed-in user of any Fastify app add passkeys (an enrollment token for
// `<passkey-enroll>`), list them and remove one, through Authsignal. Encapsulated: its hooks, body parser
// and error handler never leak into the host. It constructs no infrastructure: the Authsignal client and
// "who is signed in, and since when" come in as options.
import type { FastifyError, FastifyInstance, FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { registerElements } from '../shared/elements.js'
import { scrubError } from '../shared/scrub.js'
import { strictValidatorCompiler } from '../shared/strict-validator.js'
import * as pluginErrors from './errors.js'
import { resolveOptions, type PasskeyEnrollOptions } from './options.js'
import { enrollRoutes } from './routes.js'

export type { AuthsignalEnrollClient, PasskeyEnrollOptions } from './options.js'
export { listPasskeys, removePasskey, type PasskeySummary } from './passkeys.js'
export { MESSAGES } from './routes.js'
export const errors = pluginErrors

const passkeyEnroll: FastifyPluginAsync<PasskeyEnrollOptions> = async (fastify: FastifyInstance, opts) => {
  const options = resolveOptions(opts)
  if (options.serveElements) registerElements(fastify, { prefix: options.elementsPrefix })

  // Bodies as sent: no type coercion, unknown fields refused (Fastify's defaults strip them silently).
  fastify.setValidatorCompiler(strictValidatorCompiler())
  // JSON answers in the same shape as the routes' own refusals; never an internal message (checklist F7).
  fastify.setErrorHandler(async (error: FastifyError, request, reply) => {
    const status = error.statusCode != null && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
    if (status === 500) request.log.error({ err: scrubError(error) }, 'passkey-enroll: request failed')
    return await reply.code(status).header('cache-control', 'no-store').send(status === 500
      ? { error: 'internal_error', message: 'Something went wrong. Please try again.' }
      : { error: 'invalid_request', message: 'The request was not valid.' })
  })

  await fastify.register(enrollRoutes, { prefix: options.routePrefix, options })
}

export default fp(passkeyEnroll, {
  name: 'passkey-enroll',
  fastify: '5.x',
  encapsulate: true
})
export { passkeyEnroll }
