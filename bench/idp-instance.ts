// One IdP under measurement, in a process of its own (bench/idp-cpu.ts drives it and reads its CPU time
// over IPC). VARIANT=ours: the demo IdP (Fastify + middie + oidc-provider + passkey-login), in memory or on
// REDIS_URL. VARIANT=floor: a bare oidc-provider with the same provider configuration (servers/idp/provider.ts)
// on node:http, whose interaction finishes at once (login and consent) — the least any IdP on it can do.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createOidcAdapter } from 'fastify-passkey-login'
import { build } from '../servers/idp/app.js'
import { createAccountDirectory } from '../servers/idp/accounts.js'
import { createProvider } from '../servers/idp/provider.js'

const env = process.env
const issuer = env.ISSUER ?? ''
const port = Number(new URL(issuer).port)
const client = { clientId: 'bench-rp', clientSecret: env.CLIENT_SECRET ?? '', redirectUris: ['http://localhost:9/callback'], postLogoutRedirectUris: ['http://localhost:9/'], clientName: 'Bench RP' }
const jwks = JSON.parse(env.JWKS ?? '{}') as { keys: [] }
const cookieKeys = (env.COOKIE_KEYS ?? '').split(',')

// CPU time per request, by route (sign-ins run one at a time, so each request's CPU is its own): sent on
// 'requests', for bench/idp-cpu.ts's breakdown.
const byRoute = new Map<string, number[]>()
const routeOf = (url: string): string => url.split('?')[0]?.replace(/\/[\w-]{20,}/g, '/:uid') ?? url
function measure (server: Server): void {
  if (env.BY_ROUTE == null || env.BY_ROUTE === '') return
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const start = process.cpuUsage()
    res.once('finish', () => {
      const used = process.cpuUsage(start)
      const key = `${req.method ?? ''} ${routeOf(req.url ?? '')}`
      byRoute.set(key, [...(byRoute.get(key) ?? []), used.user + used.system])
    })
  })
}
process.on('message', message => {
  if (message === 'exit') process.exit(0)
  if (message === 'requests') { process.send?.(Object.fromEntries(byRoute)); byRoute.clear(); return }
  process.send?.(process.cpuUsage())
})

if (env.VARIANT === 'floor') {
  const accounts = await createAccountDirectory()
  const page = async (): Promise<string> => '<!doctype html><title>x</title>'
  const provider = createProvider({
    issuer, clients: [client], jwks, cookieKeys, accounts, adapter: createOidcAdapter(), pages: { error: page, logout: page, loggedOut: page }
  })
  const callback = provider.callback()
  const server = createServer((req, res) => {
    const match = /^\/interaction\/([\w-]+)$/.exec(req.url ?? '')
    if (match == null) { void callback(req, res); return }
    void (async () => {
      const details = await provider.interactionDetails(req, res)
      const grant = new provider.Grant({ accountId: 'alice', clientId: client.clientId })
      grant.addOIDCScope(String(details.params['scope'] ?? ''))
      const returnTo = await provider.interactionResult(req, res, { login: { accountId: 'alice', amr: ['hwk'] }, consent: { grantId: await grant.save() } })
      res.writeHead(303, { location: returnTo }).end()
    })().catch(() => { res.writeHead(500).end() })
  })
  measure(server)
  server.listen(port, 'localhost', () => { console.log('ready') })
} else {
  if (env.VALIDATE_OVER_NODE_HTTP === '1') {
    // Attribution only (bench/idp-cpu.ts VALIDATE_OVER_NODE_HTTP=1): the SDK's /validate request sent as is
    // (URL, Basic secret, JSON body) over a plain node:http request instead of the SDK (axios, its interceptors
    // and our transport under it), to show what that pipeline costs. Not the product's path: the plugins always
    // call the official SDK.
    const { createAuthsignalClient } = await import('fastify-passkey-core')
    const { request } = await import('node:http')
    const client = createAuthsignalClient({ secret: env.AUTHSIGNAL_SECRET ?? '', apiUrl: env.AUTHSIGNAL_API_URL ?? '' })
    const authorization = `Basic ${Buffer.from(`${env.AUTHSIGNAL_SECRET ?? ''}:`).toString('base64')}`
    client.validateChallenge = async (body: object) => await new Promise<never>((resolve, reject) => {
      const json = JSON.stringify(body)
      const sent = request(`${env.AUTHSIGNAL_API_URL ?? ''}/validate`, { method: 'POST', headers: { 'content-type': 'application/json', authorization, 'content-length': Buffer.byteLength(json) } }, res => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => { text += chunk })
        res.on('end', () => { const { actionCode, ...rest } = JSON.parse(text) as Record<string, unknown>; resolve({ action: actionCode, ...rest } as never) })
      })
      sent.on('error', reject)
      sent.end(json)
    })
  }
  if (env.VALIDATE_FROM_MEMORY === '1') {
    // Attribution only (bench/idp-cpu.ts VALIDATE_FROM_MEMORY=1): the SDK's /validate call answered in memory,
    // with what the local server would answer, to show how much of the gap that one HTTP exchange is.
    const { createAuthsignalClient } = await import('fastify-passkey-core')
    const client = createAuthsignalClient({ secret: env.AUTHSIGNAL_SECRET ?? '', apiUrl: env.AUTHSIGNAL_API_URL ?? '' })
    let n = 0
    client.validateChallenge = async () => ({ isValid: true, state: 'CHALLENGE_SUCCEEDED', action: 'signInWithPasskey', verificationMethod: 'PASSKEY', userId: 'alice', stateUpdatedAt: new Date().toISOString(), idempotencyKey: `bench-${n++}` }) as never
  }
  const app = await build({
    issuer,
    clients: [client],
    jwks,
    cookieKeys,
    authsignal: { secret: env.AUTHSIGNAL_SECRET ?? '', tenantId: env.AUTHSIGNAL_TENANT_ID ?? '', apiUrl: env.AUTHSIGNAL_API_URL ?? '' },
    // PREPARE_SIGN_IN=1: the login page carries the passkey options the IdP fetched while rendering it (two
    // requests to Authsignal per page, the demo's default); otherwise the browser fetches them.
    passkeyLogin: { rateLimit: false, prepareSignIn: env.PREPARE_SIGN_IN === '1' ? { deadlineMs: 5000 } : false },
    authorizationLimit: 1_000_000,
    ...(env.REDIS_URL != null && env.REDIS_URL !== '' ? { redis: env.REDIS_URL } : {})
  })
  if (env.OIDC_WITHOUT_FASTIFY === '1') {
    // Attribution only (bench/idp-cpu.ts OIDC_WITHOUT_FASTIFY=1): oidc-provider's own requests (/oidc/…) go
    // straight to its Koa app, skipping Fastify and every guard of the IdP (host check, headers, same origin,
    // authorization limit), to show what Fastify costs on them. Not the product's path.
    await app.ready()
    const callback = app.oidc.callback()
    const fastifyListeners = app.server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>
    const host = new URL(issuer).host
    app.server.removeAllListeners('request')
    app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (req.url?.startsWith('/oidc/') === true) {
        // What the IdP's asIssuer hook would set (oidc-provider runs in proxy mode).
        req.headers['x-forwarded-host'] = host
        req.headers['x-forwarded-proto'] = 'http'
        void callback(req, res)
        return
      }
      for (const listener of fastifyListeners) listener(req, res)
    })
  }
  measure(app.server)
  await app.listen({ port, host: 'localhost' })
  console.log('ready')
}
