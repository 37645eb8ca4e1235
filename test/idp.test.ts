// The demo IdP's protocol configuration and wiring, over real HTTP: discovery, code flow only, PKCE
// required, exact redirect URIs, its own signing keys, prefixed cookies, security headers on
// oidc-provider's own responses, logout, the host's views beside the plugin's, configuration checks
// (options and environment) and the demo accounts.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import * as client from 'openid-client'
import t from 'tap'
import { createAccountDirectory, DEMO_ACCOUNTS, verifyPasswordHash } from '../servers/idp/accounts.js'
import { build, IdpConfigError, type IdpOptions } from '../servers/idp/app.js'
import { DEMO_CLIENT_ID, IdpEnvError, idpConfigFromEnv } from '../servers/idp/config.js'
import { generateDevSecrets } from '../servers/shared/dev-secrets.js'
import { HttpSession } from './fixtures/http-session.js'
import { startStack, TEST_CLIENT } from './fixtures/idp.js'
import { beginLogin, completeAtRp, enrollPasskey, passkeySignIn, postPasskeyToken } from './fixtures/oidc-flows.js'
import { discover } from './fixtures/oidc-rp.js'

const ROOT = join(import.meta.dirname, '..')

t.test('discovery: the issuer is the bare origin, endpoints under /oidc, code flow with S256 only', async t => {
  const { idp } = await startStack(t)
  const session = new HttpSession()
  const standard = await session.get(idp.discoveryUrl)
  const alias = await session.get(`${idp.origin}/oidc/.well-known/openid-configuration`)
  t.equal(standard.status, 200)
  t.equal(alias.status, 200)
  const metadata = JSON.parse(standard.body) as Record<string, unknown>
  t.same(JSON.parse(alias.body), metadata, 'the /oidc alias serves the same document')
  t.equal(metadata.issuer, idp.origin)
  t.equal(metadata.authorization_endpoint, `${idp.origin}/oidc/auth`)
  t.equal(metadata.token_endpoint, `${idp.origin}/oidc/token`)
  t.equal(metadata.jwks_uri, `${idp.origin}/oidc/jwks`)
  t.equal(metadata.end_session_endpoint, `${idp.origin}/oidc/session/end`)
  t.same(metadata.response_types_supported, ['code'])
  t.same(metadata.code_challenge_methods_supported, ['S256'])
  t.equal(metadata.authorization_response_iss_parameter_supported, true)
  t.ok((metadata.claims_supported as string[]).includes('auth_time'))
  // oidc-provider answers itself here, yet the security headers are on (registered before middie).
  t.equal(standard.headers.get('x-frame-options'), 'DENY')
  t.match(standard.headers.get('content-security-policy'), /frame-ancestors 'none'/)
  t.equal(standard.headers.get('access-control-allow-origin'), '*', 'discovery is public (CORS open by oidc-provider)')

  // openid-client's own discovery against the issuer works too.
  const config = await discover(idp, TEST_CLIENT)
  t.equal(config.serverMetadata().issuer, idp.origin)
})

t.test('the signing keys are the configured ones, never oidc-provider development keys', async t => {
  const secrets = await generateDevSecrets()
  const { idp } = await startStack(t, { idp: { jwks: secrets.jwks } })
  const response = await new HttpSession().get(`${idp.origin}/oidc/jwks`)
  const { keys } = JSON.parse(response.body) as { keys: Array<Record<string, unknown>> }
  t.equal(keys.length, 1)
  t.equal(keys[0].kid, secrets.jwks.keys[0].kid)
  t.equal(keys[0].n, secrets.jwks.keys[0].n, 'the public half of the configured key')
  t.notOk('d' in keys[0], 'no private part')
})

t.test('PKCE is required, only the code flow is allowed, redirect URIs match exactly', async t => {
  const { idp } = await startStack(t)
  const config = await discover(idp, TEST_CLIENT)
  const session = new HttpSession()
  const redirect = TEST_CLIENT.redirectUris[0]
  const authorize = (params: Record<string, string>): URL => {
    const url = new URL(`${idp.origin}/oidc/auth`)
    for (const [k, v] of Object.entries({ client_id: TEST_CLIENT.clientId, scope: 'openid', state: 'st', nonce: 'n', ...params })) url.searchParams.set(k, v)
    return url
  }

  const noPkce = await session.get(authorize({ response_type: 'code', redirect_uri: redirect }))
  t.equal(noPkce.status, 303)
  const noPkceTarget = new URL(noPkce.location ?? '')
  t.equal(`${noPkceTarget.origin}${noPkceTarget.pathname}`, redirect, 'the error goes back to the registered redirect URI')
  t.equal(noPkceTarget.searchParams.get('error'), 'invalid_request')
  t.match(noPkceTarget.searchParams.get('error_description'), /PKCE/)
  t.equal(noPkceTarget.searchParams.get('code'), null)

  const plain = await session.get(authorize({ response_type: 'code', redirect_uri: redirect, code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }))
  t.equal(new URL(plain.location ?? '').searchParams.get('error'), 'invalid_request', 'plain PKCE is refused')

  for (const responseType of ['id_token', 'code id_token', 'token']) {
    const response = await session.get(authorize({ response_type: responseType, redirect_uri: redirect, code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' }))
    const error = response.location != null ? new URL(response.location).searchParams.get('error') ?? new URLSearchParams(new URL(response.location).hash.slice(1)).get('error') : undefined
    t.equal(error, 'unsupported_response_type', `response_type=${responseType} is refused`)
  }

  const variants = [`${redirect}/`, redirect.replace(':9', ':10'), `${redirect}?x=1`, 'http://evil.example/callback', '//evil.example/callback', redirect.toUpperCase()]
  for (const variant of variants) {
    const response = await session.get(authorize({ response_type: 'code', redirect_uri: variant, code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' }))
    t.equal(response.status, 400, `${variant}: an error page`)
    t.equal(response.location, undefined, `${variant}: no redirect`)
    t.match(response.body, 'id="error-code">invalid_redirect_uri<')
    t.match(response.headers.get('content-security-policy'), /script-src 'self'/, 'the error page has the strict CSP')
    t.notMatch(response.body, /<script|<style/)
  }
  t.ok(config)
})

t.test('a code is single-use and bound to its PKCE verifier', async t => {
  const { idp, emulator } = await startStack(t)
  const passkey = await enrollPasskey(emulator, 'alice', idp.origin)
  const redirect = new URL(TEST_CLIENT.redirectUris[0])
  const callbackOf = async (): Promise<{ start: Awaited<ReturnType<typeof beginLogin>>, callback: URL }> => {
    const start = await beginLogin(idp)
    const finished = await postPasskeyToken(idp, start, await passkeySignIn(emulator, passkey))
    const { stoppedAt } = await start.session.follow(finished, { stopAt: url => url.origin === redirect.origin })
    if (stoppedAt == null) throw new Error('no callback')
    return { start, callback: stoppedAt }
  }

  const first = await callbackOf()
  t.equal(first.callback.searchParams.get('iss'), idp.issuer, 'the authorization response names the issuer (RFC 9207)')
  await t.rejects(client.authorizationCodeGrant(first.start.config, first.callback, {
    pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: first.start.pending.state, expectedNonce: first.start.pending.nonce
  }), { name: 'ResponseBodyError', error: 'invalid_grant' }, 'another verifier is refused')

  const second = await callbackOf()
  const checks = { pkceCodeVerifier: second.start.pending.codeVerifier, expectedState: second.start.pending.state, expectedNonce: second.start.pending.nonce }
  const tokens = await client.authorizationCodeGrant(second.start.config, second.callback, checks)
  t.equal(tokens.claims()?.sub, 'alice')
  await t.rejects(client.authorizationCodeGrant(second.start.config, second.callback, checks), { name: 'ResponseBodyError', error: 'invalid_grant' }, 'the code cannot be redeemed twice')
})

t.test('IdP cookies are prefixed, HttpOnly and SameSite=Lax; the app never sees them by name', async t => {
  const { idp, emulator } = await startStack(t)
  const passkey = await enrollPasskey(emulator, 'bob', idp.origin)
  const start = await beginLogin(idp)
  const done = await postPasskeyToken(idp, start, await passkeySignIn(emulator, passkey))
  const result = await start.session.follow(done, { stopAt: url => url.port === '9' })
  const lines = [...start.page.setCookies, ...result.chain.flatMap(r => r.setCookies)]
  t.ok(lines.length >= 4)
  for (const line of lines) {
    const name = line.split('=')[0]
    t.match(name, /^idp_(session|interaction|interaction_resume)(\.sig)?$/, `${name} is prefixed`)
    t.match(line, /httponly/i)
    t.match(line, /samesite=lax/i)
    t.notMatch(name, /^app_session$/)
  }
})

t.test('RP-initiated logout: a confirmation page without inline script, then back to the registered URI', async t => {
  const { idp, emulator } = await startStack(t)
  const passkey = await enrollPasskey(emulator, 'alice', idp.origin)
  const start = await beginLogin(idp)
  const { tokens } = await completeAtRp(start, await postPasskeyToken(idp, start, await passkeySignIn(emulator, passkey)))
  const endSession = client.buildEndSessionUrl(start.config, {
    id_token_hint: tokens.id_token ?? '', post_logout_redirect_uri: TEST_CLIENT.postLogoutRedirectUris[0], state: 'bye'
  })
  const page = await start.session.get(endSession)
  t.equal(page.status, 200)
  t.match(page.body, 'id="logout-form"')
  t.match(page.body, 'Sign out of Test RP?')
  t.notMatch(page.body, /<script|<style/)
  const action = /<form method="post" action="([^"]+)"/.exec(page.body)?.[1] ?? ''
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
  const confirmed = await start.session.postForm(new URL(action, idp.origin), { xsrf, logout: 'yes' })
  const { stoppedAt } = await start.session.follow(confirmed, { stopAt: url => url.port === '9' })
  t.equal(stoppedAt?.href, `${TEST_CLIENT.postLogoutRedirectUris[0]}?state=bye`)
  t.equal(await start.session.cookie(`${idp.origin}/oidc/auth`, 'idp_session'), undefined, 'the IdP session is gone')
})

t.test("the host's views and the plugin's views live side by side", async t => {
  const { idp } = await startStack(t, { idp: { appOrigin: 'http://localhost:5002' } })
  const session = new HttpSession()
  const home = await session.get(`${idp.origin}/`)
  t.equal(home.status, 200)
  t.match(home.body, '<h1>Demo identity provider</h1>')
  t.match(home.body, 'href="http://localhost:5002"')
  t.ok(idp.app.hasDecorator('view'), 'the host keeps app.view')
  const start = await beginLogin(idp)
  t.match(start.page.body, 'id="password-form"', "the plugin renders with its own engine")
  const missing = await session.get(`${idp.origin}/nope?token=eyJ.secret`)
  t.equal(missing.status, 404)
  t.equal(missing.body, 'Not found', 'nothing of the request is echoed')
})

t.test('the demo accounts are alice/alice and bob/bob, stored as scrypt hashes', async t => {
  t.same(DEMO_ACCOUNTS.map(a => a.id), ['alice', 'bob'])
  for (const account of DEMO_ACCOUNTS) {
    t.equal(account.password, undefined, `${account.id}: no plain password in the source`)
    t.match(account.passwordHash, /^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/)
    t.ok(await verifyPasswordHash(account.passwordHash ?? '', account.id), `${account.id}'s password is ${account.id}`)
  }
  const directory = await createAccountDirectory()
  t.match(await directory.verifyPassword('alice', 'alice'), { id: 'alice', username: 'alice' })
  t.match(await directory.verifyPassword('BOB', 'bob'), { id: 'bob' }, 'usernames are case-insensitive')
  t.equal(await directory.verifyPassword('alice', 'bob'), undefined)
  t.equal(await directory.verifyPassword('nobody', 'alice'), undefined)
  t.match(await directory.findById('bob'), { id: 'bob', active: true })
  t.equal(await directory.findById('nobody'), undefined)
})

t.test('build() refuses unsafe options with a message naming the option', async t => {
  const secrets = await generateDevSecrets()
  const good: IdpOptions = {
    issuer: 'http://localhost:5999',
    clients: [TEST_CLIENT],
    authsignal: { secret: 'test-only-emulator-secret', tenantId: 'test-tenant', apiUrl: 'http://localhost:5998/v1' },
    jwks: secrets.jwks,
    cookieKeys: secrets.idpCookieKeys
  }
  const publicKey = { ...secrets.jwks.keys[0] }
  delete publicKey.d
  const cases: Array<[string, Partial<IdpOptions>, RegExp]> = [
    ['issuer with a path', { issuer: 'http://localhost:5999/oidc' }, /"issuer" must be a bare origin/],
    ['no clients', { clients: [] }, /"clients"/],
    ['a relative redirect URI', { clients: [{ ...TEST_CLIENT, redirectUris: ['/callback'] }] }, /"clients\[0\]\.redirectUris\[0\]"/],
    ['a short client secret', { clients: [{ ...TEST_CLIENT, clientSecret: 'short' }] }, /"clients\[0\]\.clientSecret"/],
    ['no signing keys', { jwks: { keys: [] } }, /"jwks".*development keys/],
    ['a public signing key', { jwks: { keys: [publicKey] } }, /"jwks"/],
    ['a short cookie key', { cookieKeys: ['short'] }, /"cookieKeys"/],
    ['no Authsignal secret', { authsignal: { ...good.authsignal, secret: '' } }, /"authsignal\.secret"/],
    ['a bad Authsignal URL', { authsignal: { ...good.authsignal, apiUrl: 'ftp://x' } }, /"authsignal\.apiUrl"/]
  ]
  for (const [name, override, message] of cases) {
    await t.rejects(build({ ...good, ...override }), { name: 'IdpConfigError', message }, name)
  }
  t.ok(new IdpConfigError('x', 'y') instanceof TypeError)
})

t.test('the environment: development defaults, and clear errors naming the bad variable', async t => {
  const dev = await generateDevSecrets()
  let devCalls = 0
  const devSecrets = async (): Promise<typeof dev> => { devCalls++; return dev }

  const defaults = await idpConfigFromEnv({}, devSecrets)
  t.equal(defaults.port, 5001)
  t.equal(defaults.options.issuer, 'http://localhost:5001')
  t.same(defaults.options.authsignal, { secret: 'dev-only-emulator-secret', tenantId: 'dev-tenant', apiUrl: 'http://localhost:5003/v1' })
  t.match(defaults.options.clients, [{ clientId: DEMO_CLIENT_ID, clientSecret: dev.clientSecret, redirectUris: ['http://localhost:5002/callback'], postLogoutRedirectUris: ['http://localhost:5002/'] }])
  t.equal(defaults.options.jwks, dev.jwks)
  t.same(defaults.options.cookieKeys, dev.idpCookieKeys)
  t.equal(devCalls, 1)

  const explicit = await idpConfigFromEnv({
    IDP_PORT: '6001', IDP_ISSUER: 'http://127.0.0.1:6001', APP_ORIGIN: 'http://127.0.0.1:6002', AUTHSIGNAL_SECRET: 'a-real-secret', AUTHSIGNAL_TENANT_ID: 't1',
    AUTHSIGNAL_API_URL: 'https://api.authsignal.com/v1', AUTHSIGNAL_HOSTED_ORIGIN: 'https://mfa.authsignal.com', IDP_JWKS: JSON.stringify(dev.jwks),
    IDP_COOKIE_KEYS: `${'k'.repeat(32)},${'j'.repeat(32)}`, DEMO_CLIENT_SECRET: 'c'.repeat(32), IDP_LOG: 'off'
  }, devSecrets)
  t.equal(devCalls, 1, 'no development secrets when everything is given')
  t.equal(explicit.options.issuer, 'http://127.0.0.1:6001')
  t.same(explicit.options.cookieKeys, ['k'.repeat(32), 'j'.repeat(32)])
  t.equal(explicit.options.authsignal.hostedPageOrigin, 'https://mfa.authsignal.com')
  t.same(explicit.options.clients[0].redirectUris, ['http://127.0.0.1:6002/callback'])
  t.equal(explicit.options.logger, false)

  const bad: Array<[NodeJS.ProcessEnv, string]> = [
    [{ IDP_PORT: 'abc' }, 'IDP_PORT'],
    [{ IDP_ISSUER: 'http://localhost:5001/oidc' }, 'IDP_ISSUER'],
    [{ APP_ORIGIN: 'not a url' }, 'APP_ORIGIN'],
    [{ AUTHSIGNAL_API_URL: 'localhost:5003' }, 'AUTHSIGNAL_API_URL'],
    [{ AUTHSIGNAL_TENANT_ID: 'has space' }, 'AUTHSIGNAL_TENANT_ID'],
    [{ IDP_JWKS: '{"keys":[{"kty":"RSA"}]}' }, 'IDP_JWKS'],
    [{ IDP_COOKIE_KEYS: 'short' }, 'IDP_COOKIE_KEYS'],
    [{ IDP_LOG: 'loud' }, 'IDP_LOG'],
    [{ NODE_ENV: 'production' }, 'AUTHSIGNAL_SECRET'],
    [{ NODE_ENV: 'production', AUTHSIGNAL_SECRET: 'a-real-secret' }, 'IDP_JWKS']
  ]
  for (const [env, variable] of bad) {
    await t.rejects(idpConfigFromEnv(env, devSecrets), { name: 'IdpEnvError', message: new RegExp(`^${variable} `) }, variable)
  }
  t.ok(new IdpEnvError('X', 'y').message.startsWith('X '))
})

t.test('`npm run idp` refuses a bad environment with a message naming the variable', async t => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'servers', 'idp', 'server.ts')], {
    cwd: ROOT, env: { ...process.env, IDP_PORT: 'seventy', NODE_ENV: 'development' }, stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const code = await new Promise<number | null>(resolve => child.on('exit', resolve))
  t.equal(code, 1)
  t.match(stderr, 'idp: configuration error: IDP_PORT must be a port number')
})
