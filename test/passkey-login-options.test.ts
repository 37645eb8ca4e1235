// The plugin on its own: option validation at boot (coded errors), the defaults, the in-memory stores,
// a host's replacement views, a host's own @fastify/view next to the plugin's, and a host prefix.
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fastifyView from '@fastify/view'
import { Eta } from 'eta'
import Fastify from 'fastify'
import Provider from 'oidc-provider'
import t from 'tap'
import passkeyLogin, {
  errors, MemoryBackend, MemoryPendingMfaStore, MemoryUsedTokenStore, type PasskeyLoginOptions
} from 'fastify-passkey-login'
import { resolveOptions } from '../plugins/passkey-login/dist/options.js'
import { generateDevSecrets } from '../servers/shared/dev-secrets.js'
import { startEmulator } from './fixtures/emulator.js'
import { HttpSession } from './fixtures/http-session.js'
import { startStack } from './fixtures/idp.js'
import { beginLogin, postPassword } from './fixtures/oidc-flows.js'

const accounts = { findById: async () => undefined, verifyPassword: async () => undefined }

async function baseOptions (): Promise<PasskeyLoginOptions> {
  const secrets = await generateDevSecrets()
  const provider = new Provider('http://localhost:5999', { jwks: secrets.jwks, cookies: { keys: secrets.idpCookieKeys } })
  const emulator = await startEmulator(t)
  return { provider, authsignal: emulator.serverClient(), tenantId: 'test-tenant', apiUrl: emulator.apiUrl, accounts }
}

t.test('options are validated at boot with coded errors', async t => {
  const good = await baseOptions()
  const cases: Array<[string, Partial<Record<keyof PasskeyLoginOptions, unknown>>, RegExp]> = [
    ['provider missing', { provider: undefined }, /"provider" must be an oidc-provider instance/],
    ['provider not a provider', { provider: {} }, /"provider"/],
    ['authsignal without validateChallenge', { authsignal: { track: async () => ({}) } }, /"authsignal" must be an Authsignal client/],
    ['tenant id with a slash', { tenantId: 'a/b' }, /"tenantId"/],
    ['apiUrl relative', { apiUrl: '/v1' }, /"apiUrl" must be an absolute http\(s\) URL/],
    ['apiUrl javascript:', { apiUrl: 'javascript:alert(1)' }, /"apiUrl"/],
    ['accounts without verifyPassword', { accounts: { findById: async () => undefined } }, /"accounts" must be account hooks \(findById\(\), verifyPassword\(\)\)/],
    ['an action code with a slash', { actions: { passwordMfa: 'sign/in' } }, /"actions\.passwordMfa"/],
    ['one action for both', { actions: { passwordMfa: 'same', passkeySignIn: 'same' } }, /"actions" must use different codes/],
    ['an unknown MFA policy', { mfaPolicy: 'never' }, /"mfaPolicy"/],
    ['a zero deadline', { authsignalTimeoutMs: 0 }, /"authsignalTimeoutMs"/],
    ['a used-token store without markUsed', { usedTokens: {} }, /"usedTokens"/],
    ['a pending store without delete', { pendingMfa: { get: async () => undefined, set: async () => {} } }, /"pendingMfa"/],
    ['used tokens forgotten before they go stale', { tokenMaxAgeSeconds: 600, usedTokenTtlSeconds: 300 }, /"usedTokenTtlSeconds"/],
    ['a route prefix without slash', { routePrefix: 'interaction' }, /"routePrefix"/],
    ['an elements prefix with //', { elements: { prefix: '//cdn.example/' } }, /"elements\.prefix"/],
    ['an elements base URL that is not http(s)', { elements: { baseUrl: 'javascript:alert(1)//' } }, /"elements\.baseUrl"/],
    ['an elements base URL without a trailing slash', { elements: { baseUrl: 'https://cdn.example/x' } }, /"elements\.baseUrl" must end with/],
    ['serving the elements while naming a CDN', { elements: { serve: true, baseUrl: 'https://cdn.example/' } }, /"elements\.serve"/],
    ['an unknown elements key', { elements: { dir: '/tmp' } }, /"elements\.dir" is not an option/],
    ['an unknown option (a typo)', { ratelimit: false } as Record<string, unknown>, /"ratelimit" is not an option/],
    ['an unknown rate-limit key', { rateLimit: { windowMs: 1000 } }, /"rateLimit\.windowMs" is not an option/],
    ['first-party clients that are not a list', { firstPartyClients: 'demo-app' }, /"firstPartyClients"/],
    ['a hosted page origin with a path', { hostedPageOrigin: 'https://auth.example/challenge' }, /"hostedPageOrigin" must be a bare origin/],
    ['a relative login view', { loginView: 'views/login.eta' }, /"loginView" must be an absolute path/],
    ['an off-site stylesheet', { stylesheet: '//evil.example/x.css' }, /"stylesheet"/],
    ['a non-boolean elements.serve', { elements: { serve: 'yes' } }, /"elements\.serve"/],
    ['a zero prepare deadline', { prepareSignIn: { deadlineMs: 0 } }, /"prepareSignIn\.deadlineMs"/],
    ['a prepare deadline of a minute', { prepareSignIn: { deadlineMs: 60_000 } }, /"prepareSignIn\.deadlineMs"/],
    ['a prepare API URL that is not http(s)', { prepareSignIn: { apiUrl: 'file:///etc/passwd' } }, /"prepareSignIn\.apiUrl"/],
    ['an unknown prepare key', { prepareSignIn: { timeout: 100 } }, /"prepareSignIn\.timeout" is not an option/]
  ]
  for (const [name, override, message] of cases) {
    const app = Fastify()
    t.teardown(() => app.close())
    app.register(passkeyLogin, { ...good, ...override } as PasskeyLoginOptions)
    await t.rejects(async () => { await app.ready() }, { code: 'FST_PASSKEY_LOGIN_INVALID_OPTION', message }, name)
  }
  t.ok(new errors.FST_PASSKEY_LOGIN_INVALID_OPTION('x', 'y') instanceof TypeError)
})

t.test('defaults', async t => {
  const resolved = resolveOptions(await baseOptions())
  t.same(resolved.actions, { passwordMfa: 'signIn', passkeySignIn: 'signInWithPasskey' })
  t.equal(resolved.mfaPolicy, 'enroll')
  t.equal(resolved.authsignalTimeoutMs, 5000)
  t.equal(resolved.maxMfaFailures, 5)
  t.equal(resolved.tokenMaxAgeSeconds, 300)
  t.equal(resolved.usedTokenTtlSeconds, 900)
  t.equal(resolved.routePrefix, '/interaction')
  t.same(resolved.elements, { serve: true, prefix: '/passkey-elements/', base: '/passkey-elements/' })
  t.equal(resolved.hostedPageOrigin, new URL(resolved.apiUrl).origin, 'the hosted page is on the API origin unless said otherwise')
  t.equal(await resolved.isFirstParty('any-client'), false, 'no client is first-party unless listed')
  t.equal(resolved.assetsPrefix, '/passkey-login/')
  t.equal(resolved.publicOrigin, 'http://localhost:5999', 'from the provider issuer')
  t.type(resolved.backend, MemoryBackend, 'memory unless redis is given')
  t.equal(await resolved.usedTokens.markUsed('k', 60), true, 'used tokens on that backend')
  t.equal(await resolved.usedTokens.markUsed('k', 60), false)
  await resolved.pendingMfa.set('uid', { accountId: 'alice', idempotencyKey: 'k', failures: 0 }, 60)
  t.same(await resolved.pendingMfa.get('uid'), { accountId: 'alice', idempotencyKey: 'k', failures: 0 }, 'pending MFA on that backend')
})

t.test('MemoryUsedTokenStore marks a key once until it expires', async t => {
  let now = 1_000_000
  const store = new MemoryUsedTokenStore({ now: () => now })
  t.equal(await store.markUsed('k', 10), true)
  t.equal(await store.markUsed('k', 10), false)
  t.equal(await store.markUsed('other', 10), true)
  const results = await Promise.all([store.markUsed('race', 10), store.markUsed('race', 10), store.markUsed('race', 10)])
  t.same(results.filter(Boolean).length, 1, 'concurrent marks: exactly one wins')
  now += 10_001
  t.equal(await store.markUsed('k', 10), true, 'usable again after the TTL (the token itself is long dead by then)')
  now += 60_001
  await store.markUsed('sweep', 1)
  t.equal(store.size, 1, 'expired keys are swept')
})

t.test('MemoryPendingMfaStore keeps state per uid until it expires', async t => {
  let now = 1_000_000
  const store = new MemoryPendingMfaStore({ now: () => now })
  await store.set('uid-1', { accountId: 'alice', idempotencyKey: 'k', failures: 0 }, 60)
  const got = await store.get('uid-1')
  t.same(got, { accountId: 'alice', idempotencyKey: 'k', failures: 0 })
  if (got != null) got.failures = 99
  t.equal((await store.get('uid-1'))?.failures, 0, 'callers get copies')
  t.equal(await store.get('uid-2'), undefined)
  await store.delete('uid-1')
  t.equal(await store.get('uid-1'), undefined)
  await store.set('uid-3', { accountId: 'bob', idempotencyKey: 'k3', failures: 1 }, 60)
  now += 60_001
  t.equal(await store.get('uid-3'), undefined, 'expired')
  t.equal(store.size, 0)
})

t.test('a host replaces the login page with a render function, and the error page with an eta file', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'passkey-login-views-'))
  const errorView = join(dir, 'my-error.eta')
  await writeFile(errorView, '<!doctype html><title>x</title><p id="custom-error"><%= it.message %></p>')
  const seen: unknown[] = []
  const { idp } = await startStack(t, {
    idp: {
      passkeyLogin: {
        loginView: (data) => {
          seen.push(data)
          return `<!doctype html><title>custom</title><form id="custom" action="${data.actions.password}"></form><p id="msg">${data.error ?? ''}</p>`
        },
        errorView
      }
    }
  })
  const start = await beginLogin(idp)
  t.match(start.page.body, `<form id="custom" action="/interaction/${start.uid}/login">`)
  t.match(start.page.headers.get('content-type'), /^text\/html/)
  t.match(seen[0], {
    uid: start.uid,
    actions: { password: `/interaction/${start.uid}/login`, passkey: `/interaction/${start.uid}/passkey` },
    tenantId: 'test-tenant',
    passkeyAction: 'signInWithPasskey',
    clientName: 'Test RP'
  })
  const refused = await postPassword(idp, start, 'alice', 'wrong-password-x')
  t.equal(refused.status, 401)
  t.match(refused.body, '<p id="msg">The username or password is incorrect.</p>')
  const expired = await new HttpSession().get(`${idp.origin}/interaction/${start.uid}`)
  t.equal(expired.status, 400)
  t.match(expired.body, '<p id="custom-error">This sign-in request has expired')
})

t.test("the plugin's view engine does not clash with a host's @fastify/view, and honours a host prefix", async t => {
  const options = await baseOptions()
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(fastifyView, { engine: { eta: new Eta() }, root: tmpdir() })
  await app.register(async scoped => {
    await scoped.register(passkeyLogin, { ...options, elements: { serve: true } })
  }, { prefix: '/auth' })
  app.get('/host', async (_request, reply) => await reply.view({ raw: '<p><%= it.x %></p>' } as unknown as string, { x: 'host view' }))
  await app.ready()
  t.ok(app.hasDecorator('view'), "the host's decorator is intact")
  t.notOk(app.hasDecorator('passkeyLoginView'), "the plugin's decorator stays inside the plugin")
  const host = await app.inject('/host')
  t.equal(host.body, '<p>host view</p>')
  const page = await app.inject('/auth/interaction/abcdefghijklmnop')
  t.equal(page.statusCode, 400, 'no interaction: the friendly error page')
  t.match(page.body, 'This sign-in request has expired')
  t.match(page.body, 'href="/auth/passkey-login/login.css?v=', 'asset URLs carry the host prefix')
  const css = await app.inject(page.body.match(/href="([^"]+login\.css[^"]*)"/)?.[1] ?? '')
  t.equal(css.statusCode, 200)
  const routes = app.printRoutes({ commonPrefix: false })
  t.match(routes, '/auth/interaction/:uid')
  t.match(routes, '/auth/passkey-elements/:file')
})

t.test('elements from a CDN: nothing served here, the page loads them from there with SRI, and its CSP allows that origin', async t => {
  const { emulator, idp } = await startStack(t, { idp: { passkeyLogin: { elements: { baseUrl: 'https://cdn.example/passkey-elements@0.1.0/dist/' } } } })
  const start = await beginLogin(idp)
  const page = await start.session.get(`${idp.origin}/interaction/${start.uid}`)
  t.equal(page.status, 200)
  t.match(page.body, /<script type="module" src="https:\/\/cdn\.example\/passkey-elements@0\.1\.0\/dist\/passkey-input-[\w-]+\.js" integrity="sha384-/)
  t.match(page.body, /<link rel="modulepreload" href="https:\/\/cdn\.example\/passkey-elements@0\.1\.0\/dist\/passkey-runtime-[\w-]+\.js" integrity="sha384-/)
  t.match(page.headers.get('content-security-policy'), /script-src 'self' https:\/\/cdn\.example(;|$)/)
  t.match(page.headers.get('content-security-policy'), new RegExp(`connect-src 'self' ${emulator.origin}`))
  t.equal((await start.session.get(`${idp.origin}/passkey-elements/`)).status, 404, 'not served here')
})
