// Hardening across the demo's servers (security checklist C–H): the headers on every HTML response
// (oidc-provider's own pages included), every state-changing POST refusing other origins and sites
// (the list of POST routes is read from the apps, so a new one cannot slip through untested), and the
// production guard of each server's entry point.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { startDemoStack, signInToApp, type DemoStack } from './fixtures/client-app.js'
import { HttpSession, type HttpResponse } from './fixtures/http-session.js'
import { routesOf, stateChanging } from './fixtures/routes.js'

const ROOT = join(import.meta.dirname, '..')

function assertStrictHeaders (t: Test, response: HttpResponse, what: string, formTargets: string[]): void {
  const csp = response.headers.get('content-security-policy') ?? ''
  t.match(csp, "default-src 'none'", `${what}: default-src 'none'`)
  t.match(csp, "script-src 'self'", `${what}: script-src 'self'`)
  t.match(csp, "style-src 'self'", `${what}: style-src 'self'`)
  t.notMatch(csp, /unsafe-inline|unsafe-eval|\*/, `${what}: nothing unsafe`)
  t.match(csp, "frame-ancestors 'none'", `${what}: frame-ancestors 'none'`)
  t.match(csp, "base-uri 'none'", `${what}: base-uri 'none'`)
  for (const target of formTargets) t.match(csp, new RegExp(`form-action [^;]*${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), `${what}: form-action allows ${target}`)
  t.equal(response.headers.get('referrer-policy'), 'no-referrer', `${what}: no referrer`)
  t.equal(response.headers.get('x-frame-options'), 'DENY', `${what}: X-Frame-Options`)
  t.equal(response.headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`)
  // No inline script or style anywhere in the markup, so the CSP holds without exceptions.
  t.notMatch(response.body, /<script(?![^>]*\bsrc=)[^>]*>/i, `${what}: no inline script`)
  t.notMatch(response.body, /<style[\s>]|\sstyle="/i, `${what}: no inline style`)
  t.notMatch(response.body, /\son[a-z]+="/i, `${what}: no inline event handlers`)
}

t.test('every HTML page of the IdP and the app carries the strict headers; token-carrying pages are no-store', async t => {
  const stack = await startDemoStack(t)
  const { idp, client, emulator } = stack
  const session = new HttpSession()
  const idpForms = [emulator.origin, client.origin]
  const appForms = [idp.origin]

  // The IdP: its home, oidc-provider's error page, the login page, the plugin's error page, the MFA return,
  // the sign-out confirmation and signed-out pages, and a 404.
  const pages: Array<[string, HttpResponse, string[], boolean]> = []
  pages.push(['IdP home', await session.get(`${idp.origin}/`), idpForms, false])
  pages.push(['oidc-provider error page', await session.get(`${idp.origin}/oidc/auth?client_id=nope&response_type=code&scope=openid`), idpForms, false])
  const login = await session.follow(`${client.origin}/login`)
  pages.push(['login page', login.response, idpForms, true])
  const uid = new URL(login.response.url).pathname.split('/')[2]
  pages.push(['MFA return without a password step', await session.get(`${idp.origin}/interaction/${uid}/mfa?token=a.b.c`), idpForms, true])
  pages.push(['plugin error page (unknown interaction)', await new HttpSession().get(`${idp.origin}/interaction/nope`), idpForms, true])
  const { response: signedIn } = await signInToApp(stack, session, 'alice')
  t.equal(signedIn.status, 303)
  const out = await session.postForm(`${client.origin}/logout`, {})
  pages.push(['sign-out confirmation', (await session.follow(out)).response, idpForms, false])
  pages.push(['IdP 404', await session.get(`${idp.origin}/nope`), idpForms, false])
  // The hosted page (the emulator's) is checked in hosted-page.test.ts.

  // The app.
  const app = new HttpSession()
  pages.push(['app home', await app.get(`${client.origin}/`), appForms, true])
  pages.push(['app callback error', await app.get(`${client.origin}/callback?code=x&state=y`), appForms, true])
  await signInToApp(stack, app, 'bob')
  pages.push(['app passkeys page', await app.get(`${client.origin}/passkeys`), appForms, true])
  pages.push(['app 404', await app.get(`${client.origin}/nope`), appForms, true])

  for (const [what, response, forms, noStore] of pages) {
    t.match(response.headers.get('content-type'), /^text\/(html|plain)/, `${what}: an HTML or text page (${response.status})`)
    assertStrictHeaders(t, response, what, forms)
    if (noStore) t.match(response.headers.get('cache-control'), 'no-store', `${what}: no-store`)
  }
  // Endpoints answering tokens are never cacheable either.
  const token = await app.request(`${client.origin}/passkeys/enrollment-token`, { method: 'POST', json: {} })
  t.equal(token.status, 200)
  t.equal(token.headers.get('cache-control'), 'no-store')
})

/** A POST the way a page of another origin (or site) would send it, with this browser's cookies. */
async function foreignPost (session: HttpSession, url: string, origin: string, site: 'same-site' | 'cross-site', body: { form?: Record<string, string>, json?: unknown }): Promise<HttpResponse> {
  return await session.request(url, { method: 'POST', ...body, headers: { origin, 'sec-fetch-site': site } })
}

t.test('every state-changing POST of the IdP and the app refuses another origin and another site, changing nothing', async t => {
  const stack: DemoStack = await startDemoStack(t)
  const { idp, client, emulator } = stack
  const session = new HttpSession()
  const { secret } = await signInToApp(stack, session, 'alice')
  const login = await session.follow(`${client.origin}/login?reauth=1&returnTo=/passkeys`)
  const uid = new URL(login.response.url).pathname.split('/')[2]
  const passkeyId = 'dummy-id'

  // Every POST route the apps serve, plus oidc-provider's browser form: each must be exercised here.
  const covered = new Map<string, { url: string, body: { form?: Record<string, string>, json?: unknown } }>([
    [`IdP POST /interaction/:uid/login`, { url: `${idp.origin}/interaction/${uid}/login`, body: { form: { username: 'alice', password: 'alice' } } }],
    [`IdP POST /interaction/:uid/passkey`, { url: `${idp.origin}/interaction/${uid}/passkey`, body: { form: { token: 'a.b.c' } } }],
    [`IdP POST /oidc/session/end/confirm`, { url: `${idp.origin}/oidc/session/end/confirm`, body: { form: { xsrf: 'x', logout: 'yes' } } }],
    [`app POST /passkeys/enrollment-token`, { url: `${client.origin}/passkeys/enrollment-token`, body: { json: {} } }],
    [`app POST /passkeys/:id/remove`, { url: `${client.origin}/passkeys/${passkeyId}/remove`, body: { form: {} } }],
    [`app POST /logout`, { url: `${client.origin}/logout`, body: { form: {} } }]
  ])
  const served = [
    ...stateChanging(routesOf(idp.app)).map(r => `IdP ${r.method} ${r.path}`),
    ...stateChanging(routesOf(client.app)).map(r => `app ${r.method} ${r.path}`)
  ]
  for (const route of served) t.ok(covered.has(route), `${route} is covered by this test`)

  const before = emulator.ctx.requests.length
  for (const [route, { url, body }] of covered) {
    const target = new URL(url)
    for (const [origin, site] of [[`http://localhost:${Number(target.port) + 1}`, 'same-site'], ['https://evil.example', 'cross-site']] as const) {
      const response = await foreignPost(session, url, origin, site, body)
      t.equal(response.status, 403, `${route} from ${origin}: 403`)
      t.notOk(response.location, `${route} from ${origin}: no redirect`)
      t.notOk(response.setCookies.some(c => /^(app_session|idp_session)=/.test(c)), `${route} from ${origin}: no new session`)
    }
  }
  t.equal(emulator.ctx.requests.length, before, 'no refused request reached Authsignal')
  // Still signed in to the app; the IdP interaction still works from its own page.
  t.match((await session.get(`${client.origin}/`)).body, 'data-sub="alice"')
  const posted = await session.postForm(`${idp.origin}/interaction/${uid}/login`, { username: 'alice', password: 'alice' })
  t.equal(posted.status, 303)
  t.type(secret, 'string')
})

/** Runs a server entry point with an environment; answers its exit code and output (it must not start). */
async function runEntry (script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null, output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  const code = await new Promise<number | null>(resolve => child.on('exit', resolve))
  clearTimeout(timer)
  return { code, output }
}

t.test('NODE_ENV=production: each server refuses to start without real keys, cookie keys and Authsignal credentials, naming the setting', async t => {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production' }
  const secrets = {
    AUTHSIGNAL_SECRET: 'prod-secret-value-123',
    AUTHSIGNAL_TENANT_ID: 'prod-tenant',
    AUTHSIGNAL_API_URL: 'https://api.authsignal.com/v1'
  }
  const cases: Array<[string, string, NodeJS.ProcessEnv, string]> = [
    ['emulator', 'servers/authsignal-emulator/dist/bin.js', {}, 'AUTHSIGNAL_SECRET'],
    ['IdP', 'servers/idp/server.ts', {}, 'AUTHSIGNAL_SECRET'],
    ['IdP', 'servers/idp/server.ts', { ...secrets }, 'IDP_JWKS'],
    ['IdP', 'servers/idp/server.ts', { ...secrets, IDP_JWKS: '{"keys":[{"kty":"RSA","d":"x"}]}' }, 'IDP_COOKIE_KEYS'],
    ['IdP', 'servers/idp/server.ts', { ...secrets, IDP_JWKS: '{"keys":[{"kty":"RSA","d":"x"}]}', IDP_COOKIE_KEYS: 'k'.repeat(32) }, 'DEMO_CLIENT_SECRET'],
    ['app', 'servers/client/server.ts', {}, 'AUTHSIGNAL_SECRET'],
    ['app', 'servers/client/server.ts', { ...secrets }, 'DEMO_CLIENT_SECRET'],
    ['app', 'servers/client/server.ts', { ...secrets, DEMO_CLIENT_SECRET: 'c'.repeat(32) }, 'APP_SESSION_KEY']
  ]
  for (const [server, script, env, variable] of cases) {
    const { code, output } = await runEntry(script, { ...base, ...env })
    t.equal(code, 1, `${server} without ${variable}: exit 1`)
    t.match(output, new RegExp(`configuration error: ${variable} must be set when NODE_ENV=production`), `${server} names ${variable}`)
    t.notMatch(output, /listening|issuer http|\n\s+at /, `${server}: did not start, no stack trace`)
  }
})
