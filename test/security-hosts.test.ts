// Issue 12, finding 3: DNS rebinding. A page on a domain that resolves to 127.0.0.1 reaches the local servers
// with its own name in `Host`. The IdP and the app answer only their configured host names (their origin's,
// the loopback names at their port, a proxy's from IDP_ALLOWED_HOSTS / APP_ALLOWED_HOSTS) with 421 and no
// effect otherwise, before anything else runs; and every URL oidc-provider builds (discovery, JWKS, resume
// redirects) comes from the issuer alone, whatever `Host` or `X-Forwarded-*` say, with trustProxy off or on.
import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import t from 'tap'
import { build as buildClient, ClientAppConfigError } from '../servers/client/app.js'
import { ClientEnvError, clientConfigFromEnv } from '../servers/client/config.js'
import { build as buildIdp } from '../servers/idp/app.js'
import { IdpEnvError, idpConfigFromEnv } from '../servers/idp/config.js'
import { generateDevSecrets } from '../servers/shared/dev-secrets.js'
import { signInToApp, startDemoStack } from './fixtures/client-app.js'
import { HttpSession } from './fixtures/http-session.js'
import { startStack, TEST_CLIENT } from './fixtures/idp.js'
import { beginLogin, enrollPasskey, passkeySignIn } from './fixtures/oidc-flows.js'

interface RawResponse { status: number, headers: Record<string, string | string[] | undefined>, body: string }

/** A request to `origin` carrying the given headers, `Host` included (fetch does not let a caller set it). */
async function raw (origin: string, method: string, target: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  const where = new URL(origin)
  return await new Promise((resolve, reject) => {
    const req = httpRequest({
      host: where.hostname, port: where.port, method, path: target,
      headers: { ...(body != null ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers }
    }, res => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { text += chunk })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }) })
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** Every absolute URL in a JSON document. */
function urlsIn (value: unknown): string[] {
  if (typeof value === 'string') return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? [value] : []
  if (Array.isArray(value)) return value.flatMap(urlsIn)
  if (value != null && typeof value === 'object') return Object.values(value).flatMap(urlsIn)
  return []
}

const rebinding = (port: number): string[] => [
  'rebind.attacker.example', `rebind.attacker.example:${port}`, `localhost.attacker.example:${port}`, `127.0.0.1.nip.io:${port}`,
  `localhost:${port + 1}`, `[::2]:${port}`, `127.0.0.1:${port}@evil.example`, `localhost.:${port}`
]

t.test('the IdP: another host name is a 421 before anything runs; its own names answer', async t => {
  const { idp, emulator } = await startStack(t)
  const port = Number(new URL(idp.origin).port)
  const before = emulator.ctx.requests.length
  const paths = ['/.well-known/openid-configuration', '/oidc/.well-known/openid-configuration', '/oidc/jwks', '/', `/oidc/auth?client_id=${TEST_CLIENT.clientId}&response_type=code&scope=openid`, '/interaction/A1b2C3d4E5f6G7h8I9j0K', '/nope']
  for (const host of rebinding(port)) {
    for (const path of paths) {
      const refused = await raw(idp.origin, 'GET', path, { host })
      t.equal(refused.status, 421, `GET ${path} with Host ${JSON.stringify(host)}: 421`)
      t.equal(refused.headers['cache-control'], 'no-store')
      t.match(refused.body, /does not answer for this host name.*IDP_ALLOWED_HOSTS/)
      t.notOk(refused.headers['set-cookie'], 'no cookie (no interaction started)')
      t.notOk(refused.headers['access-control-allow-origin'], 'no CORS answer')
    }
    // A state-changing request from the rebinding page (it is same-origin there): refused before the origin check.
    const posted = await raw(idp.origin, 'POST', '/oidc/token', { host, 'content-type': 'application/x-www-form-urlencoded' }, 'grant_type=authorization_code&code=x')
    t.equal(posted.status, 421, `POST /oidc/token with Host ${JSON.stringify(host)}`)
  }
  t.equal(emulator.ctx.requests.length, before, 'nothing reached Authsignal')
  // No Host at all (HTTP/1.0 allows that): refused too.
  const noHost = await new Promise<string>((resolve, reject) => {
    const socket = connect({ host: 'localhost', port }, () => { socket.end('GET /.well-known/openid-configuration HTTP/1.0\r\n\r\n') })
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => { text += chunk })
    socket.on('end', () => { resolve(text) })
    socket.on('error', reject)
  })
  t.match(noHost, /^HTTP\/1\.[01] 421 /, 'no Host: 421')
  for (const ok of [`localhost:${port}`, `LOCALHOST:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
    t.equal((await raw(idp.origin, 'GET', '/.well-known/openid-configuration', { host: ok })).status, 200, `Host ${ok}: 200`)
  }
})

t.test('the IdP: discovery, JWKS and redirects come from the issuer alone, whatever Host or X-Forwarded-* say (trustProxy off)', async t => {
  const { idp, emulator } = await startStack(t)
  const port = Number(new URL(idp.origin).port)
  const issuer = idp.origin
  const spoofs: Array<Record<string, string>> = [
    { host: `127.0.0.1:${port}` },
    { host: `[::1]:${port}` },
    { host: `127.0.0.1:${port}`, 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
    { host: `localhost:${port}`, 'x-forwarded-host': 'evil.example:443, localhost', 'x-forwarded-proto': 'https', forwarded: 'host=evil.example;proto=https' }
  ]
  for (const headers of spoofs) {
    for (const path of ['/.well-known/openid-configuration', '/oidc/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const response = await raw(issuer, 'GET', path, headers)
      t.equal(response.status, 200, `${path} with ${JSON.stringify(headers)}`)
      const metadata = JSON.parse(response.body) as Record<string, unknown>
      t.equal(metadata.issuer, issuer)
      t.equal(metadata.jwks_uri, `${issuer}/oidc/jwks`)
      const urls = urlsIn(metadata)
      t.ok(urls.length >= 5, `${urls.length} URLs in the document`)
      for (const url of urls) t.ok(url === issuer || url.startsWith(`${issuer}/`), `${url} is the issuer's`)
    }
  }

  // The redirect that finishes a sign-in (oidc-provider's resume URL), asked for under another allowed name.
  const passkey = await enrollPasskey(emulator, 'alice', issuer)
  const start = await beginLogin(idp)
  const token = await passkeySignIn(emulator, passkey)
  const cookie = await start.session.jar.getCookieString(`${issuer}/interaction/${start.uid}/passkey`)
  const posted = await raw(issuer, 'POST', `/interaction/${start.uid}/passkey`, {
    host: `127.0.0.1:${port}`, 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', origin: issuer, 'sec-fetch-site': 'same-origin', cookie, 'content-type': 'application/x-www-form-urlencoded'
  }, new URLSearchParams({ token }).toString())
  t.equal(posted.status, 303)
  t.match(String(posted.headers.location), new RegExp(`^${issuer}/oidc/auth/`), 'the resume URL is the issuer\'s')
  const resumed = await raw(issuer, 'GET', new URL(String(posted.headers.location)).pathname, { host: `127.0.0.1:${port}`, 'x-forwarded-host': 'evil.example', cookie: await start.session.jar.getCookieString(String(posted.headers.location)) })
  t.equal(resumed.status, 303)
  t.match(String(resumed.headers.location), /^http:\/\/localhost:9\/callback\?code=/, 'and the code goes to the registered redirect URI')
})

t.test('the IdP behind a proxy (trustProxy on): the proxy\'s name is allowed by setting, X-Forwarded-Host is checked, URLs stay the issuer\'s', async t => {
  const { idp } = await startStack(t, { idp: { trustProxy: true, allowedHosts: ['idp.internal:8080'] } })
  const issuer = idp.origin
  const ok = await raw(issuer, 'GET', '/.well-known/openid-configuration', { host: 'idp.internal:8080', 'x-forwarded-host': new URL(issuer).host, 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' })
  t.equal(ok.status, 200, 'the proxy\'s upstream name, forwarding the issuer\'s')
  for (const url of urlsIn(JSON.parse(ok.body))) t.ok(url === issuer || url.startsWith(`${issuer}/`), `${url} is the issuer's (not https from X-Forwarded-Proto)`)
  t.equal((await raw(issuer, 'GET', '/.well-known/openid-configuration', { host: 'idp.internal:8080' })).status, 200, 'without X-Forwarded-Host')
  for (const forwarded of ['rebind.attacker.example', `${new URL(issuer).host}, rebind.attacker.example`, 'idp.internal:9090']) {
    t.equal((await raw(issuer, 'GET', '/.well-known/openid-configuration', { host: 'idp.internal:8080', 'x-forwarded-host': forwarded })).status, 421, `X-Forwarded-Host ${forwarded}: 421`)
  }
  t.equal((await raw(issuer, 'GET', '/.well-known/openid-configuration', { host: 'idp.internal:9090' })).status, 421, 'a listed name matches its port only')
})

t.test('the app: another host name is a 421 before anything runs (no session touched, no sign-in started)', async t => {
  const stack = await startDemoStack(t)
  const { client, emulator } = stack
  const session = new HttpSession()
  await signInToApp(stack, session, 'alice')
  const cookie = await session.jar.getCookieString(`${client.origin}/`)
  const port = Number(new URL(client.origin).port)
  const before = emulator.ctx.requests.length
  for (const host of rebinding(port)) {
    for (const [method, path] of [['GET', '/'], ['GET', '/passkeys'], ['GET', '/passkeys/list'], ['GET', '/login'], ['POST', '/passkeys/enrollment-token'], ['POST', '/logout'], ['GET', '/nope']] as const) {
      const refused = await raw(client.origin, method, path, { host, cookie, origin: `http://${host}`, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }, method === 'POST' ? '{}' : undefined)
      t.equal(refused.status, 421, `${method} ${path} with Host ${JSON.stringify(host)}: 421`)
      t.match(refused.body, 'APP_ALLOWED_HOSTS')
      t.notOk(refused.headers['set-cookie'], 'no cookie')
      t.notOk(refused.headers.location, 'no redirect')
    }
  }
  t.equal(emulator.ctx.requests.length, before, 'no enrollment token was minted, nothing reached Authsignal')
  t.match((await session.get(`${client.origin}/`)).body, 'data-sub="alice"', 'still signed in (the sign-out was refused)')
  for (const ok of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
    t.equal((await raw(client.origin, 'GET', '/', { host: ok })).status, 200, `Host ${ok}: 200`)
  }
})

t.test('allowed hosts: options and environment, a bad entry named', async t => {
  const secrets = await generateDevSecrets()
  const idpOptions = {
    issuer: 'http://localhost:5999', clients: [TEST_CLIENT], jwks: secrets.jwks, cookieKeys: secrets.idpCookieKeys,
    authsignal: { secret: 'test-only-emulator-secret', tenantId: 'test-tenant', apiUrl: 'http://localhost:5998/v1' }
  }
  for (const bad of [['http://proxy.example/'], ['*.example'], ['proxy.example/path'], [''], [42]]) {
    await t.rejects(buildIdp({ ...idpOptions, allowedHosts: bad as string[] }), { name: 'IdpConfigError', message: /"allowedHosts"/ }, `IdP: ${JSON.stringify(bad)}`)
  }
  const appOptions = {
    origin: 'http://localhost:5002', issuer: 'http://localhost:5001', clientId: 'demo-app', clientSecret: 'x'.repeat(32), sessionKey: Buffer.alloc(32, 7).toString('base64'),
    authsignal: { secret: 'secret-secret', tenantId: 't', apiUrl: 'http://localhost:5003/v1' }
  }
  await t.rejects(buildClient({ ...appOptions, allowedHosts: ['https://app.example'] }), ClientAppConfigError)

  const dev = async (): Promise<typeof secrets> => secrets
  t.same((await idpConfigFromEnv({}, dev)).options.allowedHosts, ['localhost:5001', '127.0.0.1:5001', '[::1]:5001'], 'IdP on loopback: the loopback names at its port')
  t.same((await idpConfigFromEnv({ IDP_ISSUER: 'https://idp.example.com', IDP_HOST: '0.0.0.0', IDP_ALLOWED_HOSTS: 'idp.internal:8080, proxy.example' }, dev)).options.allowedHosts,
    ['idp.internal:8080', 'proxy.example'], 'IDP_ALLOWED_HOSTS, and no loopback names when not listening there')
  t.same((await clientConfigFromEnv({ APP_PORT: '6002', APP_ALLOWED_HOSTS: 'app.example.com' }, dev)).options.allowedHosts, ['app.example.com', 'localhost:6002', '127.0.0.1:6002', '[::1]:6002'])
  await t.rejects(idpConfigFromEnv({ IDP_ALLOWED_HOSTS: 'https://idp.example.com' }, dev), { name: 'IdpEnvError', message: /^IDP_ALLOWED_HOSTS has an entry/ })
  await t.rejects(clientConfigFromEnv({ APP_ALLOWED_HOSTS: 'ok.example, bad/path' }, dev), { name: 'ClientEnvError', message: /^APP_ALLOWED_HOSTS has an entry that is not a host name or host:port: "bad\/path"/ })
  t.ok(IdpEnvError != null && ClientEnvError != null)
})
