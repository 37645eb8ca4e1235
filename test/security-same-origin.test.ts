// Issue 12, finding 2: the IdP's same-origin rule applies to every state-changing request as oidc-provider's
// router resolves it, not to one path string. oidc-provider matches paths case-insensitively and with one
// trailing slash ignored, so `POST /oidc/session/end/confirm/` or `/Confirm` from another site ended a
// session while the check compared the exact path. Now every non-safe request must pass the same-origin
// guard except oidc-provider's client-authenticated back-channel endpoints, and the exception matches only
// what the router resolves to those endpoints.
import { request as httpRequest } from 'node:http'
import * as client from 'openid-client'
import t, { type Test } from 'tap'
import { OIDC_ROUTES } from '../servers/idp/provider.js'
import { signInToApp, startDemoStack } from './fixtures/client-app.js'
import { HttpSession } from './fixtures/http-session.js'
import { routesOf, stateChanging } from './fixtures/routes.js'
import { startStack, TEST_CLIENT, type Stack } from './fixtures/idp.js'
import { beginLogin, completeAtRp, enrollPasskey, passkeySignIn, postPasskeyToken, type LoginStart } from './fixtures/oidc-flows.js'
import { startAuthorization } from './fixtures/oidc-rp.js'

interface RawResponse { status: number, headers: Record<string, string | string[] | undefined>, body: string }

/** One request with the request target exactly as written (fetch would normalise dot segments and encoding, and drop fragments). */
async function raw (origin: string, method: string, target: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  const where = new URL(origin)
  return await new Promise((resolve, reject) => {
    const req = httpRequest({
      host: where.hostname,
      port: where.port,
      method,
      path: target,
      headers: { host: where.host, ...(body != null ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers }
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

const setCookies = (response: RawResponse): string[] => {
  const lines = response.headers['set-cookie'] ?? []
  return Array.isArray(lines) ? lines : [lines]
}

/** What a page elsewhere (or no page at all) sends with a form post: each must be refused. */
function foreignHeaders (origin: string): Array<[string, Record<string, string>]> {
  const port = Number(new URL(origin).port)
  return [
    ['cross-site', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
    ['same-site (another localhost port)', { origin: `http://localhost:${port + 1}`, 'sec-fetch-site': 'same-site' }],
    ['Origin only, of another site', { origin: 'https://evil.example' }],
    ['Origin: null (sandboxed frame)', { origin: 'null' }],
    ['no Origin and no Fetch metadata (a script)', {}],
    ['Sec-Fetch-Site: none', { 'sec-fetch-site': 'none' }]
  ]
}

/** Signs alice in at the IdP with a passkey: the browser (start.session) holds a live IdP session. */
async function signedIn (t: Test): Promise<{ stack: Stack, start: LoginStart, idToken: string }> {
  const stack = await startStack(t)
  const passkey = await enrollPasskey(stack.emulator, 'alice', stack.idp.origin)
  const start = await beginLogin(stack.idp)
  const { tokens } = await completeAtRp(start, await postPasskeyToken(stack.idp, start, await passkeySignIn(stack.emulator, passkey)))
  return { stack, start, idToken: tokens.id_token ?? '' }
}

/** The IdP session is alive when an authorization with prompt=none comes back with a code. */
async function sessionAlive (start: LoginStart): Promise<boolean> {
  const pending = await startAuthorization(start.config, TEST_CLIENT.redirectUris[0], { prompt: 'none' })
  const redirect = new URL(TEST_CLIENT.redirectUris[0])
  const { stoppedAt } = await start.session.follow(pending.url, { stopAt: url => url.origin === redirect.origin })
  return stoppedAt?.searchParams.get('code') != null
}

t.test('the sign-out confirmation refuses other sites under every path variant, and the session lives on', async t => {
  const { stack, start, idToken } = await signedIn(t)
  const { idp } = stack
  t.ok(await sessionAlive(start), 'signed in at the IdP')
  const endSession = client.buildEndSessionUrl(start.config, { id_token_hint: idToken, post_logout_redirect_uri: TEST_CLIENT.postLogoutRedirectUris[0] })
  const page = await start.session.get(endSession)
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.body)?.[1]
  t.type(xsrf, 'string', 'the confirmation form and its xsrf value')
  const cookie = await start.session.jar.getCookieString(`${idp.origin}/oidc/session/end/confirm`)
  const body = new URLSearchParams({ xsrf: xsrf ?? '', logout: 'yes' }).toString()

  // The exact path, what the attack run found (trailing slash, case), and what else the router or a proxy
  // could make of a path: duplicate slashes, dot segments, percent-encoding, a fragment, non-ASCII case.
  const variants = [
    '/oidc/session/end/confirm', '/oidc/session/end/confirm/', '/oidc/session/end/Confirm', '/oidc/session/end/CONFIRM/',
    '/oidc/Session/End/Confirm', '/OIDC/session/end/confirm', '/oidc/session/end/confirm?logout=yes', '/oidc/session/end/confirm/?',
    '/oidc/session/end/confirm//', '/oidc//session/end/confirm', '/oidc/session//end/confirm', '/oidc/session/end//confirm',
    '/oidc/./session/end/confirm', '/oidc/x/../session/end/confirm', '/oidc/session/end/%63onfirm', '/oidc/session/end/conf%69rm',
    '/oidc/session/end/confirm%2F', '/oidc/session/end/confirm%2f', '/oidc/session%2Fend/confirm', '/oidc/session/end/confirm#x',
    '/oidc/session/end/confirm;x', '/oidc/session/end/conf%C4%B1rm', '/oidc/session/end/confirm%00', '/oidc/session/end/confirm%20'
  ]
  for (const target of variants) {
    for (const [who, headers] of foreignHeaders(idp.origin)) {
      const response = await raw(idp.origin, 'POST', target, { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, body)
      t.equal(response.status, 403, `POST ${target}, ${who}: 403`)
      t.notOk(response.headers.location, `POST ${target}, ${who}: no redirect`)
      t.same(setCookies(response), [], `POST ${target}, ${who}: no cookie set or cleared`)
    }
  }
  t.ok(await sessionAlive(start), 'the IdP session is still alive after every refused variant')

  // From its own page the confirmation still works (so the refusals above are the guard, not a broken form).
  const confirmed = await start.session.postForm(`${idp.origin}/oidc/session/end/confirm/`, { xsrf: xsrf ?? '', logout: 'yes' })
  t.equal(confirmed.status, 303, 'same-origin, trailing slash: oidc-provider ends the session')
  t.notOk(await sessionAlive(start), 'and the session is gone')
})

t.test('every state-changing route of the IdP refuses other sites; only client-authenticated back-channel endpoints are exempt', async t => {
  const { stack, start } = await signedIn(t)
  const { idp } = stack
  const cookie = await start.session.jar.getCookieString(`${idp.origin}/oidc/auth`)
  const form = { cookie, 'content-type': 'application/x-www-form-urlencoded' }
  const cross = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }
  const uid = 'A1b2C3d4E5f6G7h8I9j0K'

  // oidc-provider's endpoints that authenticate their caller (client credentials or a bearer token) and read
  // no browser cookie: a request from anywhere is theirs to judge.
  const exempt = [OIDC_ROUTES.token, OIDC_ROUTES.introspection, OIDC_ROUTES.revocation, OIDC_ROUTES.pushed_authorization_request,
    OIDC_ROUTES.registration, OIDC_ROUTES.device_authorization, OIDC_ROUTES.backchannel_authentication, OIDC_ROUTES.userinfo]
  for (const path of exempt) {
    // The router's own variants of an exempt path (case, one trailing slash) stay exempt: oidc-provider judges them.
    for (const target of [path, `${path}/`, `/oidc/${path.slice(6).toUpperCase()}`, `/oidc/${path.slice(6).toUpperCase()}/?x=1`]) {
      const response = await raw(idp.origin, 'POST', target, { ...form, ...cross }, 'grant_type=authorization_code&code=x')
      t.not(response.status, 403, `POST ${target} cross-site reaches oidc-provider (${response.status})`)
      t.notMatch(response.body, 'another site', `POST ${target}: not the guard's answer`)
    }
    // Anything the router would not resolve to it is no exemption: the guard decides.
    for (const target of [`${path}//`, path.replace('/oidc/', '/oidc//'), path.replace('/oidc/', '/OIDC/'), `${path.slice(0, -1)}%${path.charCodeAt(path.length - 1).toString(16)}`, `${path}/.`, `${path}#x`, `${path};x`]) {
      t.equal((await raw(idp.origin, 'POST', target, { ...form, ...cross }, 'x=1')).status, 403, `POST ${target} cross-site: 403`)
    }
    // Other methods on an exempt path are not exempt.
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      t.equal((await raw(idp.origin, method, path, { ...form, ...cross }, 'x=1')).status, 403, `${method} ${path} cross-site: 403`)
    }
  }

  // Every other endpoint of oidc-provider, every route of the IdP's own (the plugin's included), and
  // their variants, with every non-safe method.
  const browser = [
    OIDC_ROUTES.authorization, `${OIDC_ROUTES.authorization}/${uid}`, OIDC_ROUTES.end_session, `${OIDC_ROUTES.end_session}/confirm`,
    `${OIDC_ROUTES.end_session}/success`, OIDC_ROUTES.code_verification, `${OIDC_ROUTES.code_verification}/${uid}`, OIDC_ROUTES.jwks,
    OIDC_ROUTES.challenge, OIDC_ROUTES.credential, `${OIDC_ROUTES.registration}/some-client`, '/.well-known/openid-configuration',
    '/oidc/.well-known/openid-configuration', '/', `/interaction/${start.uid}`, `/interaction/${start.uid}/login`,
    `/interaction/${start.uid}/passkey`, `/interaction/${start.uid}/mfa`, '/nope'
  ]
  const served = stateChanging(routesOf(idp.app)).map(r => r.path.replace(':uid', start.uid))
  for (const path of served) t.ok(browser.includes(path), `${path} is covered`)
  for (const path of browser) {
    for (const target of [path, `${path}/`, path.toUpperCase(), `${path}?x=1`]) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const response = await raw(idp.origin, method, target, { ...form, ...cross }, 'username=alice&password=alice&token=a.b.c&xsrf=x')
        t.equal(response.status, 403, `${method} ${target} cross-site: 403`)
        t.notMatch(response.body, /statusCode|Cannot|TypeError/, `${method} ${target}: a page in words, not an internal message`)
        t.same(setCookies(response), [], `${method} ${target}: no cookie`)
      }
    }
  }
  t.ok(await sessionAlive(start), 'the session is still alive')
})

t.test('the app: every state-changing request, to a route or to none, refuses other sites before anything runs', async t => {
  const stack = await startDemoStack(t)
  const { client, emulator } = stack
  const session = new HttpSession()
  await signInToApp(stack, session, 'alice')
  const cookie = await session.jar.getCookieString(`${client.origin}/`)
  const before = emulator.ctx.requests.length
  const paths = ['/logout', '/logout/', '/LOGOUT', '/passkeys/enrollment-token', '/passkeys/enrollment-token/', '/passkeys/x/remove', '/', '/nope', '/callback', '/login']
  const served = stateChanging(routesOf(client.app)).map(r => r.path.replace(':id', 'x'))
  for (const path of served) t.ok(paths.includes(path), `${path} is covered`)
  for (const path of paths) {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      for (const [who, headers] of foreignHeaders(client.origin)) {
        const response = await raw(client.origin, method, path, { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, '')
        t.equal(response.status, 403, `${method} ${path}, ${who}: 403`)
        t.match(response.body, 'This request did not come from this site', `${method} ${path}, ${who}: in words`)
        t.same(setCookies(response), [], `${method} ${path}, ${who}: no cookie`)
      }
    }
  }
  t.equal(emulator.ctx.requests.length, before, 'nothing reached Authsignal')
  t.match((await session.get(`${client.origin}/`)).body, 'data-sub="alice"', 'still signed in')
  const logout = await raw(client.origin, 'POST', '/logout', { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, '')
  t.match(logout.body, 'Not signed out', 'the sign-out refusal says so')
})
