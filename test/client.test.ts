// The demo app over real HTTP with the real IdP and emulator: the OIDC code flow (PKCE, state, nonce,
// issuer), its session cookie (own name, sealed, regenerated, revoked on sign-out), RP-initiated
// logout, re-authentication with max_age for passkey changes, headers, and configuration errors.
import { randomBytes } from 'node:crypto'
import t from 'tap'
import { ClientEnvError, clientConfigFromEnv } from '../servers/client/config.js'
import { build } from '../servers/client/app.js'
import { generateDevSecrets } from '../servers/shared/dev-secrets.js'
import { signInToApp, startDemoStack, type DemoStack } from './fixtures/client-app.js'
import { HttpSession } from './fixtures/http-session.js'
import { completeTotpChallenge } from './fixtures/oidc-flows.js'

/** The `sub` the home page says is signed in, or undefined. */
const signedAs = (html: string): string | undefined => /id="signed-in-as" data-sub="([^"]+)"/.exec(html)?.[1]

t.test('sign-in: the app sends the browser to the IdP with PKCE S256, state and nonce, and shows who signed in', async t => {
  const stack = await startDemoStack(t)
  const session = new HttpSession()
  const signedOut = await session.get(`${stack.client.origin}/`)
  t.equal(signedOut.status, 200)
  t.match(signedOut.body, 'id="sign-in"')
  t.equal(signedAs(signedOut.body), undefined)

  const login = await session.get(`${stack.client.origin}/login`)
  t.equal(login.status, 303)
  const authorize = new URL(login.location!)
  t.equal(authorize.origin, stack.idp.origin)
  t.equal(authorize.searchParams.get('code_challenge_method'), 'S256')
  t.match(authorize.searchParams.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/)
  t.match(authorize.searchParams.get('state'), /^[A-Za-z0-9_-]{20,}$/)
  t.match(authorize.searchParams.get('nonce'), /^[A-Za-z0-9_-]{20,}$/)
  t.equal(authorize.searchParams.get('redirect_uri'), `${stack.client.origin}/callback`)
  t.equal(authorize.searchParams.get('response_type'), 'code')

  const { response } = await signInToApp(stack, session, 'alice')
  t.equal(response.status, 303)
  t.equal(response.location, `${stack.client.origin}/`)
  const home = await session.get(`${stack.client.origin}/`)
  t.equal(signedAs(home.body), 'alice')
  t.match(home.body, 'Alice Example')
})

t.test('the session cookie: its own name, HttpOnly, SameSite=Lax, small, new at every sign-in, never colliding with the IdP\'s', async t => {
  const stack = await startDemoStack(t)
  const session = new HttpSession()
  // A session planted before sign-in (fixation): its value must not survive.
  await session.get(`${stack.client.origin}/login`)
  const planted = await session.cookie(stack.client.origin, 'app_session')
  t.type(planted, 'string', 'the flow state lives in the session cookie')
  const { response } = await signInToApp(stack, session, 'alice')
  const line = response.setCookies.find(c => c.startsWith('app_session='))
  t.ok(line != null)
  t.match(line, /HttpOnly/i)
  t.match(line, /SameSite=Lax/i)
  t.match(line, /Path=\//)
  t.ok(line!.length < 4096, `Set-Cookie is ${line!.length} bytes`)
  t.not(await session.cookie(stack.client.origin, 'app_session'), planted, 'a new cookie value after sign-in')

  const names = (await session.cookies(stack.idp.origin)).map(c => c.key)
  t.ok(names.includes('app_session'))
  t.ok(names.some(n => n.startsWith('idp_')), 'both apps\' cookies share the localhost jar')
  t.same(names.filter(n => n !== 'app_session' && !n.startsWith('idp_')), [], 'every cookie is prefixed by its owner')
})

t.test('the callback refuses a flow it did not start, a wrong state, and an IdP error, and signs nobody in', async t => {
  const stack = await startDemoStack(t)
  const session = new HttpSession()
  const unsolicited = await session.get(`${stack.client.origin}/callback?code=abc&state=xyz`)
  t.equal(unsolicited.status, 400)
  t.match(unsolicited.body, 'Sign-in expired')

  // A real code delivered with a tampered state.
  const login = await session.follow(`${stack.client.origin}/login`)
  const uid = /\/interaction\/([A-Za-z0-9_-]+)$/.exec(new URL(login.response.url).pathname)![1]
  const posted = await session.postForm(`${stack.idp.origin}/interaction/${uid}/login`, { username: 'bob', password: 'bob' })
  const { token } = await completeTotpChallenge(stack.emulator, posted.location!)
  const back = await session.follow(`${stack.idp.origin}/interaction/${uid}/mfa?token=${encodeURIComponent(token)}`, { stopAt: url => url.pathname === '/callback' })
  const callback = new URL(back.stoppedAt!)
  callback.searchParams.set('state', 'tampered')
  const tampered = await session.get(callback)
  t.equal(tampered.status, 400)
  t.match(tampered.body, 'could not be completed')
  // The flow is spent: the untampered callback is refused too.
  callback.searchParams.set('state', new URL(back.stoppedAt!).searchParams.get('state')!)
  t.equal((await session.get(callback)).status, 400)
  t.equal(signedAs((await session.get(`${stack.client.origin}/`)).body), undefined)

  await session.get(`${stack.client.origin}/login`)
  const denied = await session.get(`${stack.client.origin}/callback?error=access_denied&state=x`)
  t.equal(denied.status, 400)
  t.match(denied.body, 'cancelled')

  for (const query of ['?code=a&code=b', '?returnTo=//evil.example', '?unknown=1']) {
    t.equal((await session.get(`${stack.client.origin}/callback${query}`)).status, 400, query)
  }
  t.equal((await session.get(`${stack.client.origin}/login?returnTo=https://evil.example`)).status, 400, 'returnTo is a known page only')
})

t.test('the callback checks the issuer (RFC 9207): a wrong or missing iss signs nobody in', async t => {
  const stack = await startDemoStack(t)
  const cases: Array<[string, (callback: URL) => void]> = [
    ['another issuer', callback => { callback.searchParams.set('iss', 'http://localhost:1') }],
    ['no issuer', callback => { callback.searchParams.delete('iss') }]
  ]
  for (const [name, alterCallback] of cases) {
    const session = new HttpSession()
    let iss: string | null = null
    const { response } = await signInToApp(stack, session, name === 'no issuer' ? 'bob' : 'alice', {
      alterCallback: callback => { iss = callback.searchParams.get('iss'); alterCallback(callback) }
    })
    t.equal(iss, stack.idp.issuer, `${name}: the IdP sent its issuer`)
    t.equal(response.status, 400, `${name}: refused`)
    t.match(response.body, 'could not be completed')
    t.equal(signedAs((await session.get(`${stack.client.origin}/`)).body), undefined, `${name}: the home page shows nobody`)
  }
})

t.test('sign-out: same origin only, revokes the session (a copied cookie is dead), and ends the IdP session', async t => {
  const stack = await startDemoStack(t)
  const session = new HttpSession()
  await signInToApp(stack, session, 'alice')
  const copied = await session.cookie(stack.client.origin, 'app_session')

  const forged = await session.request(`${stack.client.origin}/logout`, { method: 'POST', form: {}, headers: { origin: 'http://localhost:1', 'sec-fetch-site': 'same-site' } })
  t.equal(forged.status, 403)
  t.equal(signedAs((await session.get(`${stack.client.origin}/`)).body), 'alice', 'still signed in')

  const out = await session.postForm(`${stack.client.origin}/logout`, {})
  t.equal(out.status, 303)
  const endSession = new URL(out.location!)
  t.equal(endSession.origin, stack.idp.origin)
  t.equal(endSession.pathname, '/oidc/session/end')
  t.equal(endSession.searchParams.get('post_logout_redirect_uri'), `${stack.client.origin}/`)
  t.type(endSession.searchParams.get('id_token_hint'), 'string')
  t.equal(signedAs((await session.get(`${stack.client.origin}/`)).body), undefined)

  // The cookie from before sign-out, replayed by another browser: signed out.
  const thief = new HttpSession()
  await thief.jar.setCookie(`app_session=${copied!}; Path=/`, stack.client.origin)
  t.equal(signedAs((await thief.get(`${stack.client.origin}/`)).body), undefined)
  t.equal((await thief.request(`${stack.client.origin}/passkeys/enrollment-token`, { method: 'POST', json: {} })).status, 401)

  // The IdP asks to confirm, then returns to the app signed out everywhere.
  const confirm = await session.follow(out)
  t.equal(confirm.response.status, 200)
  const action = /action="([^"]+)"/.exec(confirm.response.body)?.[1]
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.response.body)?.[1]
  const done = await session.follow(await session.postForm(new URL(action!, stack.idp.origin), { xsrf: xsrf!, logout: 'yes' }))
  t.equal(done.response.url, `${stack.client.origin}/`)
  const again = await session.follow(`${stack.client.origin}/login`)
  t.match(new URL(again.response.url).pathname, /^\/interaction\//, 'signing in again asks for credentials')
})

t.test('passkeys page: needs a sign-in; a stale sign-in says so, the token route answers reauthentication_required, and max_age=0 renews it', async t => {
  const stack = await startDemoStack(t, { client: { maxAuthAgeSeconds: 2 } })
  const session = new HttpSession()
  const anonymous = await session.get(`${stack.client.origin}/passkeys`)
  t.equal(anonymous.status, 303)
  t.equal(anonymous.location, `${stack.client.origin}/login?returnTo=/passkeys`)
  const calls = (): string[] => stack.emulator.ctx.requests.map(r => `${r.method} ${r.path}`)
  const seenBefore = calls().length
  const noSession = await session.request(`${stack.client.origin}/passkeys/enrollment-token`, { method: 'POST', json: {} })
  t.equal(noSession.status, 401)
  t.same(JSON.parse(noSession.body), { error: 'not_signed_in', message: 'Sign in to manage your passkeys.' })
  t.equal(noSession.headers.get('cache-control'), 'no-store')
  t.same(calls().slice(seenBefore), [], 'no session: no Authsignal call')

  const { secret } = await signInToApp(stack, session, 'alice', { path: '/login?returnTo=/passkeys' })
  const fresh = await session.get(`${stack.client.origin}/passkeys`)
  t.equal(fresh.status, 200)
  t.equal(fresh.headers.get('cache-control'), 'no-store')
  t.match(fresh.body, '<passkey-enroll token-url="/passkeys/enrollment-token"')
  t.match(fresh.body, `tenant-id="${stack.emulator.tenantId}"`)
  t.match(fresh.body, 'id="no-passkeys"')
  t.notMatch(fresh.body, 'id="reauth-note"')
  t.match(fresh.body, /<script type="module" src="\/passkey-elements\/passkey-enroll-[\w-]+\.js" integrity="sha384-[A-Za-z0-9+\/=]+" crossorigin="anonymous"><\/script>/)
  const seenFresh = calls().length
  t.equal((await session.request(`${stack.client.origin}/passkeys/enrollment-token`, { method: 'POST', json: {} })).status, 200)
  t.same(calls().slice(seenFresh), ['POST /v1/users/alice/actions/add-passkey'], 'a recent sign-in: one track call')

  await new Promise(resolve => setTimeout(resolve, 3100))
  const stale = await session.get(`${stack.client.origin}/passkeys`)
  t.match(stale.body, 'id="reauth-note"')
  const seenStale = calls().length
  const refused = await session.request(`${stack.client.origin}/passkeys/enrollment-token`, { method: 'POST', json: {} })
  t.equal(refused.status, 401)
  t.equal(JSON.parse(refused.body).error, 'reauthentication_required')
  t.equal(refused.headers.get('cache-control'), 'no-store')
  t.same(calls().slice(seenStale), [], 'a stale sign-in: no Authsignal call')

  // Re-authentication: max_age=0 makes the IdP ask again although its session is alive.
  const reauth = await session.get(`${stack.client.origin}/login?reauth=1&returnTo=/passkeys`)
  t.equal(new URL(reauth.location!).searchParams.get('max_age'), '0')
  const { response } = await signInToApp(stack, session, 'alice', { path: '/login?reauth=1&returnTo=/passkeys', secret, stepOffset: 1 })
  t.equal(response.location, `${stack.client.origin}/passkeys`)
  t.equal((await session.request(`${stack.client.origin}/passkeys/enrollment-token`, { method: 'POST', json: {} })).status, 200)
})

t.test('every page carries the security headers; unknown pages and bad input get generic answers', async t => {
  const stack = await startDemoStack(t)
  const session = new HttpSession()
  for (const path of ['/', '/nope', '/login?reauth=2', '/callback']) {
    const response = await session.get(`${stack.client.origin}${path}`)
    const csp = response.headers.get('content-security-policy') ?? ''
    t.match(csp, "script-src 'self'", path)
    t.match(csp, "style-src 'self'", path)
    t.match(csp, "frame-ancestors 'none'", path)
    t.match(csp, `form-action 'self' ${stack.idp.origin}`, path)
    t.match(csp, `connect-src 'self' ${stack.emulator.origin}`, path)
    t.equal(response.headers.get('x-frame-options'), 'DENY', path)
    t.equal(response.headers.get('referrer-policy'), 'no-referrer', path)
    t.equal(response.headers.get('x-content-type-options'), 'nosniff', path)
    t.notMatch(response.body, /at \w+ \(|Error:|node_modules/, `${path}: no internals`)
  }
  t.equal((await session.get(`${stack.client.origin}/nope`)).status, 404)
  t.equal((await session.get(`${stack.client.origin}/login?reauth=2`)).status, 400)
})

t.test('the IdP unreachable: the sign-in says so in words, without a crash', async t => {
  const stack: DemoStack = await startDemoStack(t)
  await stack.idp.app.close()
  const session = new HttpSession()
  const response = await session.get(`${stack.client.origin}/login`)
  t.equal(response.status, 503)
  t.match(response.body, 'cannot be reached')
  t.equal((await session.get(`${stack.client.origin}/`)).status, 200, 'the app still answers')
})

t.test('configuration: options and environment are validated with the setting named', async t => {
  const secrets = await generateDevSecrets()
  const good = {
    origin: 'http://localhost:5002',
    issuer: 'http://localhost:5001',
    clientId: 'demo-app',
    clientSecret: 'x'.repeat(32),
    authsignal: { secret: 'secret-secret', tenantId: 't', apiUrl: 'http://localhost:5003/v1' },
    sessionKey: randomBytes(32).toString('base64')
  }
  for (const [name, override] of [['origin', { origin: 'localhost:5002' }], ['issuer', { issuer: 'http://localhost:5001/oidc' }], ['sessionKey', { sessionKey: 'short' }], ['clientSecret', { clientSecret: 'x' }]] as const) {
    await t.rejects(build({ ...good, ...override }), new RegExp(`option "${name}"`))
  }
  const defaults = await clientConfigFromEnv({}, async () => secrets)
  t.equal(defaults.port, 5002)
  t.equal(defaults.options.issuer, 'http://localhost:5001')
  t.equal(defaults.options.clientSecret, secrets.clientSecret)
  for (const [env, variable] of [
    [{ APP_PORT: 'x' }, 'APP_PORT'],
    [{ IDP_ISSUER: 'nope' }, 'IDP_ISSUER'],
    [{ APP_SESSION_KEY: 'c2hvcnQ=' }, 'APP_SESSION_KEY'],
    [{ NODE_ENV: 'production' }, 'AUTHSIGNAL_SECRET'],
    [{ NODE_ENV: 'production', AUTHSIGNAL_SECRET: 'real-secret-123' }, 'DEMO_CLIENT_SECRET'],
    [{ NODE_ENV: 'production', AUTHSIGNAL_SECRET: 'real-secret-123', DEMO_CLIENT_SECRET: 'x'.repeat(20) }, 'APP_SESSION_KEY']
  ] as const) {
    await clientConfigFromEnv(env, async () => secrets).then(
      () => { t.fail(`${variable} accepted`) },
      (error: Error) => {
        t.ok(error instanceof ClientEnvError)
        t.match(error.message, new RegExp(`^${variable} `), `${JSON.stringify(env)} names ${variable}`)
      })
  }
})
