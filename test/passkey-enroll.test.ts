// The passkey-enroll plugin in a minimal host (who is signed in comes from test headers, as any host
// could decide), against the emulator over real HTTP with the real @authsignal/node: the enrollment
// token, the list, removal, and every refusal — each refused request must reach no Authsignal API.
import { Authsignal } from '@authsignal/node'
import Fastify, { type FastifyInstance } from 'fastify'
import t from 'tap'
import passkeyEnroll, { errors, type PasskeyEnrollOptions } from 'fastify-passkey-enroll'
import { freePort, startEmulator, type RunningEmulator } from './fixtures/emulator.js'
import { suiteLogger } from './fixtures/log-capture.js'
import { registerPasskey, signInWithPasskey, SoftwareAuthenticator } from './fixtures/software-authenticator.js'

interface Teardown { teardown (fn: () => unknown): void }

interface Host {
  app: FastifyInstance
  origin: string
  emulator: RunningEmulator
  /** Requests the emulator received since the last call. */
  authsignalCalls (): string[]
  call (path: string, init?: { method?: string, user?: string, authAge?: number, headers?: Record<string, string>, body?: string }): Promise<{ status: number, headers: Headers, body: any }>
}

async function host (t: Teardown, overrides: Partial<PasskeyEnrollOptions> = {}, emulatorOptions: Parameters<typeof startEmulator>[1] = {}): Promise<Host> {
  const port = await freePort()
  const origin = `http://localhost:${port}`
  const emulator = await startEmulator(t, { expectedOrigins: [origin], ...emulatorOptions })
  const app = Fastify({ logger: suiteLogger('enroll-host') })
  await app.register(passkeyEnroll, {
    authsignal: emulator.serverClient(),
    tenantId: emulator.tenantId,
    apiUrl: emulator.apiUrl,
    publicOrigin: origin,
    getUserId: request => request.headers['x-test-user'] as string | undefined,
    getAuthTime: request => {
      const age = request.headers['x-test-auth-age']
      return typeof age === 'string' ? Math.floor(Date.now() / 1000) - Number(age) : undefined
    },
    ...overrides
  })
  await app.listen({ port, host: 'localhost' })
  t.teardown(() => app.close())
  let seen = emulator.ctx.requests.length
  return {
    app,
    origin,
    emulator,
    authsignalCalls () {
      const calls = emulator.ctx.requests.slice(seen).map(r => `${r.method} ${r.path}`)
      seen = emulator.ctx.requests.length
      return calls
    },
    async call (path, init = {}) {
      const method = init.method ?? 'POST'
      const response = await fetch(`${origin}${path}`, {
        method,
        headers: {
          ...(method !== 'GET' ? { 'content-type': 'application/json', origin, 'sec-fetch-site': 'same-origin' } : {}),
          ...(init.user != null ? { 'x-test-user': init.user, 'x-test-auth-age': String(init.authAge ?? 30) } : {}),
          ...init.headers
        },
        redirect: 'manual',
        ...(method !== 'GET' ? { body: init.body ?? '{}' } : {})
      })
      const text = await response.text()
      let body: unknown = text
      try { body = JSON.parse(text) } catch {}
      return { status: response.status, headers: response.headers, body }
    }
  }
}

t.test('a recently signed-in user gets an add:authenticators token that is never cacheable and has no CORS headers', async t => {
  const h = await host(t)
  const response = await h.call('/passkeys/enrollment-token', { user: 'alice' })
  t.equal(response.status, 200)
  t.equal(response.headers.get('cache-control'), 'no-store')
  t.equal(response.headers.get('access-control-allow-origin'), null)
  t.equal(response.headers.get('access-control-allow-credentials'), null)
  t.same(Object.keys(response.body).sort(), ['expiresAt', 'token'])
  const expiresIn = Date.parse(response.body.expiresAt) - Date.now()
  t.ok(expiresIn > 9 * 60_000 && expiresIn <= 10 * 60_000, 'expiresAt is the token\'s own expiry (10 minutes)')
  t.same(h.authsignalCalls(), ['POST /v1/users/alice/actions/add-passkey'])

  const claims = JSON.parse(Buffer.from(response.body.token.split('.')[1], 'base64url').toString('utf8'))
  t.equal(claims.scope, 'add:authenticators')
  t.equal(claims.other.userId, 'alice')
  t.equal(claims.other.actionCode, 'add-passkey')

  // The token works for what it is for: enrolling a passkey (even for a user who already has one).
  const first = new SoftwareAuthenticator(h.origin)
  t.equal((await registerPasskey(h.emulator, first, response.body.token)).status, 200)
  const second = await h.call('/passkeys/enrollment-token', { user: 'alice' })
  t.equal((await registerPasskey(h.emulator, new SoftwareAuthenticator(h.origin), second.body.token)).status, 200)
  t.equal((await h.emulator.serverClient().getAuthenticators({ userId: 'alice' })).length, 2)
})

t.test('refused before any Authsignal call: no session, a stale sign-in, another origin or site, no origin at all', async t => {
  const h = await host(t, { maxAuthAgeSeconds: 300 })
  const cases: Array<[string, Parameters<Host['call']>[1], number, string]> = [
    ['no session', {}, 401, 'not_signed_in'],
    ['a stale sign-in', { user: 'alice', authAge: 301 }, 401, 'reauthentication_required'],
    // A signed-in user without a sign-in time is the host's configuration error, named as such (not a loop of re-sign-ins).
    ['no auth time', { user: 'alice', headers: { 'x-test-auth-age': 'NaN', origin: '', 'sec-fetch-site': 'same-origin' } }, 500, 'auth_time_missing'],
    ['a sign-in from the future', { user: 'alice', authAge: -3600 }, 401, 'reauthentication_required'],
    ['another origin', { user: 'alice', headers: { origin: 'http://localhost:1', 'sec-fetch-site': 'same-site' } }, 403, 'cross_origin'],
    ['another site', { user: 'alice', headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } }, 403, 'cross_origin'],
    ['another origin, no fetch metadata', { user: 'alice', headers: { origin: 'http://localhost:1', 'sec-fetch-site': '' } }, 403, 'cross_origin'],
    ['same-site fetch metadata only', { user: 'alice', headers: { origin: '', 'sec-fetch-site': 'same-site' } }, 403, 'cross_origin'],
    ['a null origin without fetch metadata', { user: 'alice', headers: { origin: 'null', 'sec-fetch-site': '' } }, 403, 'cross_origin']
  ]
  for (const [name, init, status, error] of cases) {
    // Empty header values stand for "not sent".
    const headers = Object.fromEntries(Object.entries(init?.headers ?? {}).filter(([, v]) => v !== ''))
    const response = init?.headers != null
      ? await fetch(`${h.origin}/passkeys/enrollment-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(init.user != null ? { 'x-test-user': init.user, 'x-test-auth-age': String(init.authAge ?? 30) } : {}), ...headers },
        body: '{}'
      }).then(async r => ({ status: r.status, headers: r.headers, body: await r.json() }))
      : await h.call('/passkeys/enrollment-token', init)
    t.equal(response.status, status, `${name}: ${status}`)
    t.equal(response.body.error, error, `${name}: ${error}`)
    t.type(response.body.message, 'string')
    t.equal(response.headers.get('cache-control'), 'no-store')
    t.equal(response.headers.get('access-control-allow-origin'), null)
    t.same(h.authsignalCalls(), [], `${name}: no Authsignal call`)
  }
  // A cross-origin preflight gets no CORS answer either.
  const preflight = await fetch(`${h.origin}/passkeys/enrollment-token`, { method: 'OPTIONS', headers: { origin: 'http://localhost:1', 'access-control-request-method': 'POST' } })
  t.equal(preflight.headers.get('access-control-allow-origin'), null)
  t.same(h.authsignalCalls(), [])
})

t.test('a user id that is not one URL path segment is a generic 500 that reaches no Authsignal API', async t => {
  const h = await host(t)
  // @authsignal/node puts the user id into URL paths unencoded (checklist F4, G3).
  for (const user of ['../bob', 'alice/actions', '%2E%2E', 'alice?x=1', 'a'.repeat(65)]) {
    for (const [path, method] of [['/passkeys/enrollment-token', 'POST'], ['/passkeys/list', 'GET']] as const) {
      const response = await h.call(path, { method, user })
      t.equal(response.status, 500, `${method} ${path} as ${user}`)
      t.same(response.body, { error: 'internal_error', message: 'Something went wrong. Please try again.' })
    }
  }
  t.same(h.authsignalCalls(), [])
})

t.test('the token route takes POST only', async t => {
  const h = await host(t)
  const response = await h.call('/passkeys/enrollment-token', { method: 'GET', user: 'alice' })
  t.equal(response.status, 404)
  t.equal(response.body.token, undefined)
  t.same(h.authsignalCalls(), [])
})

t.test('bad bodies and any query string are 400s that change nothing', async t => {
  const h = await host(t)
  for (const body of ['{"scope":"remove:authenticators"}', '[1]', '"x"', '{bad']) {
    const response = await h.call('/passkeys/enrollment-token', { user: 'alice', body })
    t.equal(response.status, 400, body)
    t.equal(response.body.error, 'invalid_request')
  }
  // The routes take nothing in the URL: a parameter there is a mistake or an attempt, never ignored.
  for (const [path, method] of [['/passkeys/enrollment-token?scope=remove:authenticators', 'POST'], ['/passkeys/list?userId=bob', 'GET']] as const) {
    const response = await h.call(path, { method, user: 'alice' })
    t.equal(response.status, 400, path)
    t.same(response.body, { error: 'invalid_request', message: 'The request was not valid.' }, path)
    t.equal(response.headers.get('cache-control'), 'no-store', path)
  }
  t.same(h.authsignalCalls(), [])
})

t.test('tokens are rate limited per user (429 with Retry-After)', async t => {
  const h = await host(t, { rateLimit: { tokenMax: 2, timeWindowMs: 60_000 } })
  t.equal((await h.call('/passkeys/enrollment-token', { user: 'alice' })).status, 200)
  t.equal((await h.call('/passkeys/enrollment-token', { user: 'alice' })).status, 200)
  const limited = await h.call('/passkeys/enrollment-token', { user: 'alice' })
  t.equal(limited.status, 429)
  t.equal(limited.body.error, 'too_many_requests')
  t.ok(Number(limited.headers.get('retry-after')) > 0)
  t.equal((await h.call('/passkeys/enrollment-token', { user: 'bob' })).status, 200, 'another user is not affected')
})

t.test('Authsignal down, failing or slow: a 503 with words, within the deadline, and no crash', async t => {
  const h = await host(t, { authsignalTimeoutMs: 300 })
  for (const fault of [{ status: 503 }, { drop: true }, { latencyMs: 2000 }]) {
    h.emulator.ctx.faults.set([{ path: '/v1/users', ...fault }])
    const response = await h.call('/passkeys/enrollment-token', { user: 'alice' })
    t.equal(response.status, 503, JSON.stringify(fault))
    t.same(response.body, { error: 'unavailable', message: 'Passkeys are temporarily unavailable. Please try again in a moment.' })
    const list = await h.call('/passkeys/list', { method: 'GET', user: 'alice' })
    t.equal(list.status, 503)
  }
  h.emulator.ctx.faults.clear()
  t.equal((await h.call('/passkeys/enrollment-token', { user: 'alice' })).status, 200, 'back to normal afterwards')
})

t.test('list and remove: only the user\'s own passkeys, removal needs a recent sign-in and this origin', async t => {
  const h = await host(t)
  const enroll = async (user: string): Promise<SoftwareAuthenticator> => {
    const { body } = await h.call('/passkeys/enrollment-token', { user })
    const authenticator = new SoftwareAuthenticator(h.origin)
    t.equal((await registerPasskey(h.emulator, authenticator, body.token)).status, 200)
    return authenticator
  }
  await enroll('alice')
  const bobsAuthenticator = await enroll('bob')
  const list = await h.call('/passkeys/list', { method: 'GET', user: 'alice' })
  t.equal(list.status, 200)
  t.equal(list.headers.get('cache-control'), 'no-store')
  t.equal(list.body.passkeys.length, 1)
  const [passkey] = list.body.passkeys
  t.same(Object.keys(passkey).sort(), ['createdAt', 'id', 'name', 'synced'])
  t.equal(passkey.synced, false)
  t.equal((await h.call('/passkeys/list', { method: 'GET' })).status, 401)
  const bobs = (await h.call('/passkeys/list', { method: 'GET', user: 'bob' })).body.passkeys[0].id

  // Once used to sign in, the passkey says when.
  t.equal((await signInWithPasskey(h.emulator, bobsAuthenticator, { action: 'signInWithPasskey' })).status, 200)
  const used = (await h.call('/passkeys/list', { method: 'GET', user: 'bob' })).body.passkeys[0]
  t.ok(Math.abs(Date.parse(used.lastUsedAt) - Date.now()) < 60_000, `lastUsedAt is now (${String(used.lastUsedAt)})`)
  t.ok(Date.parse(used.createdAt) <= Date.parse(used.lastUsedAt))

  const remove = async (id: string, init: Parameters<Host['call']>[1] = {}): Promise<{ status: number, location: string | null }> => {
    const response = await h.call(`/passkeys/${id}/remove`, { user: 'alice', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '', ...init })
    return { status: response.status, location: response.headers.get('location') }
  }
  t.same(await remove(bobs), { status: 303, location: '/passkeys?status=not_found' }, 'another user\'s passkey is not found')
  t.equal((await h.emulator.serverClient().getAuthenticators({ userId: 'bob' })).length, 1, 'bob\'s passkey is still there')
  t.same(await remove(passkey.id, { user: 'alice', authAge: 3600, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' }), { status: 303, location: '/passkeys?status=reauthentication_required' })
  h.authsignalCalls()
  const foreign = await h.call(`/passkeys/${passkey.id}/remove`, { user: 'alice', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:1', 'sec-fetch-site': 'same-site' }, body: '' })
  t.equal(foreign.status, 403)
  t.same(h.authsignalCalls(), [], 'a cross-origin removal reaches no Authsignal API')
  t.equal((await remove('..%2F..%2Fusers%2Fbob')).status, 400, 'an id is an id, not a path')
  t.equal((await remove('abc$def')).status, 400)
  t.same(await remove(passkey.id), { status: 303, location: '/passkeys?status=removed' })
  t.same(await h.emulator.serverClient().getAuthenticators({ userId: 'alice' }), [])
})

t.test('options are validated at boot with coded errors', async t => {
  const emulator = await startEmulator(t)
  const good: PasskeyEnrollOptions = {
    authsignal: emulator.serverClient(),
    tenantId: emulator.tenantId,
    apiUrl: emulator.apiUrl,
    publicOrigin: 'http://localhost:5002',
    getUserId: () => undefined,
    getAuthTime: () => undefined
  }
  const bad: Array<[string, Partial<Record<keyof PasskeyEnrollOptions, unknown>>]> = [
    ['authsignal', { authsignal: {} }],
    ['tenantId', { tenantId: 'has space' }],
    ['apiUrl', { apiUrl: 'ftp://x' }],
    ['publicOrigin', { publicOrigin: 'http://localhost:5002/path' }],
    ['getUserId', { getUserId: 'alice' }],
    ['getAuthTime', { getAuthTime: null }],
    ['maxAuthAgeSeconds', { maxAuthAgeSeconds: 0 }],
    ['action', { action: 'add passkey' }],
    ['routePrefix', { routePrefix: 'passkeys' }],
    ['returnTo', { returnTo: '//evil.example' }],
    ['authsignalTimeoutMs', { authsignalTimeoutMs: -1 }],
    ['rateLimit.tokenMax', { rateLimit: { tokenMax: 0 } }],
    ['rateLimit.windowSeconds', { rateLimit: { max: 5, windowSeconds: 1 } }],
    ['ratelimit', { ratelimit: false } as Record<string, unknown>]
  ]
  for (const [name, override] of bad) {
    const app = Fastify()
    t.teardown(() => app.close())
    await app.register(passkeyEnroll, { ...good, ...override } as PasskeyEnrollOptions).ready().then(
      () => { t.fail(`${name} was accepted`) },
      (error: Error & { code?: string }) => {
        t.ok(error instanceof errors.FST_PASSKEY_ENROLL_INVALID_OPTION, `${name}: coded error`)
        t.match(error.message, `"${name}"`)
      })
  }
  // A client that is not one is refused; a real one with only the needed methods is enough.
  const minimal = new Authsignal({ apiSecretKey: emulator.secret, apiUrl: emulator.apiUrl, retries: 0 })
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(passkeyEnroll, { ...good, authsignal: minimal }).ready()
  t.ok(app.hasRoute({ method: 'POST', url: '/passkeys/enrollment-token' }))
})

t.test('the host\'s decorator: one recency rule, the same list as the route, and the element\'s page data', async t => {
  const h = await host(t, { maxAuthAgeSeconds: 300 })
  const { passkeyEnroll: api } = h.app
  const request = (headers: Record<string, string>) => ({ headers, log: h.app.log }) as unknown as Parameters<typeof api.signInState>[0]

  t.same(await api.signInState(request({})), { recent: false }, 'nobody signed in')
  const fresh = await api.signInState(request({ 'x-test-user': 'alice', 'x-test-auth-age': '30' }))
  t.equal(fresh.userId, 'alice')
  t.equal(fresh.recent, true)
  t.type(fresh.authTime, 'number')
  t.equal((await api.signInState(request({ 'x-test-user': 'alice', 'x-test-auth-age': '301' }))).recent, false, 'older than maxAuthAgeSeconds')
  t.equal((await api.signInState(request({ 'x-test-user': 'alice', 'x-test-auth-age': '-120' }))).recent, false, 'in the future beyond the skew')
  await t.rejects(api.list(request({})), { code: 'FST_PASSKEY_ENROLL_NOT_SIGNED_IN', statusCode: 401 })

  // The route and the decorator answer the same list.
  const token = await h.call('/passkeys/enrollment-token', { user: 'alice' })
  t.equal((await registerPasskey(h.emulator, new SoftwareAuthenticator(h.origin), token.body.token)).status, 200)
  const listed = await api.list(request({ 'x-test-user': 'alice', 'x-test-auth-age': '30' }))
  t.equal(listed.length, 1)
  t.same((await h.call('/passkeys/list', { method: 'GET', user: 'alice' })).body, { passkeys: listed })

  t.same(api.element.attributes, { 'token-url': '/passkeys/enrollment-token', 'tenant-id': h.emulator.tenantId, 'api-url': h.emulator.apiUrl })
  t.match(api.element.tags.scripts[0], { src: /^\/passkey-elements\/passkey-enroll-[\w-]+\.js$/, integrity: /^sha384-/ })
  t.match(api.element.html, /<script type="module" src="\/passkey-elements\/passkey-enroll-[\w-]+\.js" integrity="sha384-[^"]+" crossorigin="anonymous"><\/script>/)
  t.same(api.element.csp, { connect: [h.emulator.apiUrl] })
})

t.test('a signed-in user without a sign-in time: a configuration error that names the fix, not a loop of re-sign-ins', async t => {
  const logLines: string[] = []
  const port = await freePort()
  const origin = `http://localhost:${port}`
  const emulator = await startEmulator(t, { expectedOrigins: [origin] })
  const app = Fastify({ logger: suiteLogger('enroll-host', logLines) })
  await app.register(passkeyEnroll, {
    authsignal: emulator.serverClient(),
    tenantId: emulator.tenantId,
    apiUrl: emulator.apiUrl,
    publicOrigin: origin,
    getUserId: () => 'alice',
    // What a host gets from an ID token without auth_time (oidc-provider's default client settings).
    getAuthTime: () => undefined
  })
  t.teardown(() => app.close())
  const before = emulator.ctx.requests.length
  const answer = await app.inject({ method: 'POST', url: '/passkeys/enrollment-token', headers: { origin, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }, payload: '{}' })
  t.equal(answer.statusCode, 500)
  t.same(answer.json(), { error: 'auth_time_missing', message: 'Passkeys cannot be changed here right now: the site needs to fix its configuration.' })
  t.equal(emulator.ctx.requests.length, before, 'no Authsignal call')
  t.ok(logLines.some(line => line.includes('FST_PASSKEY_ENROLL_AUTH_TIME_MISSING') && line.includes('require_auth_time') && line.includes('max_age')),
    'the log names the fix: require_auth_time or max_age at the IdP')
  const removal = await app.inject({ method: 'POST', url: '/passkeys/some-id/remove', headers: { origin, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' }, payload: '' })
  t.equal(removal.statusCode, 500, 'removal is refused the same way (nothing is deleted)')
})
