// A local Authsignal-compatible server: the Server API and Client API that @authsignal/node and
// @authsignal/browser call, real WebAuthn verification, signed tokens, persisted state, CORS for the
// expected origins and fault injection. `build()` never listens; `server.ts` does.
import { createRequire } from 'node:module'
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify'
import { requireSecret } from './auth.js'
import { clientApi } from './client-api.js'
import { resolveOptions, type EmulatorOptions } from './config.js'
import type { EmulatorContext } from './context.js'
import { corsHook } from './cors.js'
import { ApiError, invalidRequest, notFound } from './errors.js'
import { createFaults, type FaultRule } from './faults.js'
import { hostedPage } from './hosted/index.js'
import { allowedHostsFor, hostCheck } from './hosts.js'
import { emulatorLogger } from './log.js'
import { Outbox } from './outbox.js'
import { outboxRoutes } from './outbox-routes.js'
import { serverApi } from './server-api.js'
import { EmulatorStore } from './store.js'
import { createTokenIssuer } from './tokens.js'
import { strictValidatorCompiler } from './validation.js'

export type { EmulatorOptions } from './config.js'

const BODY_LIMIT = 64 * 1024

// The package runs on every fastify 5: `routerOptions` exists from 5.5 on, where the same options at the top
// level print a deprecation warning at every start; before 5.5 only the top level is read.
const FASTIFY_VERSION = (createRequire(import.meta.url)('fastify/package.json') as { version: string }).version
const [major = 0, minor = 0] = FASTIFY_VERSION.split('.').map(Number)
const ROUTER = { ignoreDuplicateSlashes: true, ignoreTrailingSlash: true, maxParamLength: 512 }
const ROUTER_OPTIONS = major > 5 || (major === 5 && minor >= 5) ? { routerOptions: ROUTER } : ROUTER

export async function build (input: EmulatorOptions): Promise<FastifyInstance> {
  const options = resolveOptions(input)
  const store = new EmulatorStore(options.dataFile)
  store.ensureDir()
  const faults = createFaults(options.faults)
  const ctx: EmulatorContext = {
    options,
    store,
    tokens: createTokenIssuer(options.secret, options.tenantId, options.tokenTtlSeconds),
    faults,
    outbox: new Outbox(),
    requests: []
  }

  const app = Fastify({
    // One scrubbing policy for every server's logs: no query-string tokens, no secrets in errors.
    logger: emulatorLogger(options.logger),
    bodyLimit: BODY_LIMIT,
    // The .NET SDK joins paths with a trailing slash on the base URL (`/v1//users`).
    ...ROUTER_OPTIONS,
    requestTimeout: 30_000,
    connectionTimeout: 30_000,
    return503OnClosing: true
  })
  app.decorate('emulator', ctx)
  // Before anything else, for every route and the 404s: a request for another host name does nothing.
  app.addHook('onRequest', hostCheck(allowedHostsFor(options.publicUrl, options.allowedHosts)))
  app.setValidatorCompiler(strictValidatorCompiler())

  // The browser SDK posts some calls (TOTP enrollment) with a JSON content type and no body.
  const json = app.getDefaultJsonParser('error', 'error')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') { done(null, undefined); return }
    json(request, body as string, done)
  })

  // Python's SDK only parses a body whose content type is exactly `application/json`.
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type')
    if (typeof type === 'string' && type.startsWith('application/json')) reply.header('content-type', 'application/json')
    return payload
  })

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) return reply.code(error.statusCode).send(error.body)
    if (error.validation != null) return reply.code(400).send(invalidRequest(`Invalid request: ${error.message}`).body)
    const status = error.statusCode ?? 500
    if (status < 500) {
      const code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'invalid_request'
      return reply.code(status).send(new ApiError(status, code, error.message).body)
    }
    request.log.error({ err: { type: error.name, message: error.message, stack: error.stack } }, 'emulator: unexpected error')
    return reply.code(500).send(new ApiError(500, 'unexpected_error', 'An unexpected error occurred.').body)
  })
  app.setNotFoundHandler((request, reply) => {
    // The real Server API authenticates before it routes: a bad secret is a 401 on any path under /v1
    // (the Go SDK's own bad-secret test calls GET /users/:id/actions/:action/ with an empty key).
    const path = request.url.split('?')[0] ?? ''
    if (/^\/v1(\/|$)/.test(path.replace(/\/{2,}/g, '/')) && !/^\/v1\/client(\/|$)/.test(path.replace(/\/{2,}/g, '/'))) requireSecret(request, options.secret)
    return reply.code(404).send(notFound(`No route for ${request.method} ${path}.`).body)
  })

  await app.register(async v1 => {
    // Faults apply to the Authsignal API only, never to the admin routes that set them.
    v1.addHook('onRequest', async (request, reply) => {
      ctx.requests.push({ method: request.method, path: request.url.split('?')[0] ?? '' })
      if (ctx.requests.length > 1000) ctx.requests.splice(0, ctx.requests.length - 1000)
      if (await faults.apply(request, reply)) return reply
    })
    await v1.register(serverApi, { ctx })
    await v1.register(async client => {
      client.addHook('onRequest', corsHook(options.expectedOrigins))
      client.options('/*', async (_request, reply) => await reply.code(204).send())
      await client.register(clientApi, { ctx })
    }, { prefix: '/client' })
  }, { prefix: '/v1' })

  await app.register(hostedPage, { ctx, prefix: '/challenge' })

  await app.register(async admin => {
    admin.get('/health', async () => ({ ok: true, tenantId: options.tenantId }))
    admin.post<{ Body: { rules: FaultRule[] } }>('/faults', {
      onRequest: async request => { requireSecret(request, options.secret) },
      schema: {
        body: {
          type: 'object',
          required: ['rules'],
          additionalProperties: false,
          properties: {
            rules: {
              type: 'array',
              maxItems: 20,
              items: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  path: { type: 'string', maxLength: 256 },
                  method: { type: 'string', maxLength: 10 },
                  latencyMs: { type: 'integer', minimum: 0, maximum: 120_000 },
                  status: { type: 'integer', minimum: 500, maximum: 599 },
                  drop: { type: 'boolean' },
                  times: { type: 'integer', minimum: 1 }
                }
              }
            }
          }
        }
      }
    }, async request => {
      faults.set(request.body.rules)
      return { rules: request.body.rules }
    })
    await admin.register(outboxRoutes, { ctx })
  }, { prefix: '/__emulator' })

  app.addHook('preClose', async () => { faults.abortWaits() })
  app.addHook('onClose', async () => { await store.save() })
  return app
}
