// Redis failing under the demo, as Authsignal failures are tested (faults.test.ts): down, slow (the server
// answers nothing for a while), and restarted (empty). For each: every sign-in decision fails closed with
// the same words as an Authsignal outage, within the store's deadline; nothing crashes, hangs or leaves an
// unhandled rejection; and the servers reconnect by themselves: the next sign-in works.
import t, { type Test } from 'tap'
import { signInToApp, startDemoStack, type DemoStack } from './fixtures/client-app.js'
import { HttpSession, type HttpResponse } from './fixtures/http-session.js'
import { beginLogin, enrollPasskey, passkeySignIn } from './fixtures/oidc-flows.js'
import { startRedis, type RunningRedis } from './fixtures/redis.js'

const STORE_DEADLINE_MS = 500
const CLIENT_TIMEOUT_MS = 10_000
const UNAVAILABLE = /temporarily unavailable/i

const unhandled: unknown[] = []
process.on('unhandledRejection', reason => { unhandled.push(reason) })

async function timed (what: string, call: Promise<HttpResponse>): Promise<HttpResponse & { ms: number }> {
  const started = Date.now()
  let timer: NodeJS.Timeout | undefined
  try {
    const response = await Promise.race([call, new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`${what} hung`)) }, CLIENT_TIMEOUT_MS) })])
    return { ...response, ms: Date.now() - started }
  } finally { clearTimeout(timer) }
}

async function stackOnRedis (t: Test): Promise<{ redis: RunningRedis, stack: DemoStack, session: HttpSession, passkeyToken: string }> {
  const redis = await startRedis(t)
  const stack = await startDemoStack(t, {
    idp: { redis: redis.url, passkeyLogin: { storeTimeoutMs: STORE_DEADLINE_MS } },
    client: { redis: redis.url }
  })
  const session = new HttpSession()
  await signInToApp(stack, session, 'alice')
  const passkey = await enrollPasskey(stack.emulator, 'alice', stack.idp.origin)
  return { redis, stack, session, passkeyToken: await passkeySignIn(stack.emulator, passkey) }
}

/** Every sign-in decision while Redis fails: 503 in words, fast. */
async function failClosed (t: Test, { stack, session, passkeyToken }: { stack: DemoStack, session: HttpSession, passkeyToken: string }, fault: string): Promise<void> {
  const { idp, client } = stack
  const pending = new HttpSession()
  const authorization = await timed('authorization', pending.get(`${client.origin}/login`).then(async r => await pending.follow(r)).then(r => r.response))
  t.equal(authorization.status, 503, `${fault}: a new sign-in is refused`)
  t.match(authorization.body, UNAVAILABLE, `${fault}: in words`)

  const home = await timed('app home', session.get(`${client.origin}/`))
  t.equal(home.status, 503, `${fault}: the app cannot check its revocation list: 503, the session kept`)
  t.match(home.body, UNAVAILABLE)

  const token = await timed('enrollment token', session.request(`${client.origin}/passkeys/enrollment-token`, { method: 'POST', json: {} }))
  t.equal(token.status, 503, `${fault}: no enrollment token`)

  const passkey = await timed('passkey', session.postForm(`${idp.origin}/interaction/some-interaction/passkey`, { token: passkeyToken }))
  t.ok([503, 400].includes(passkey.status), `${fault}: the passkey route refuses (${passkey.status})`)
  t.notMatch(passkey.body, /Error:|at .*\.js/, 'no internals')
  for (const answer of [authorization, home, token, passkey]) t.ok(answer.ms < STORE_DEADLINE_MS * 6, `${fault}: answered in ${answer.ms} ms`)
}

t.test('Redis down, then back: fail closed in words, then sign-ins work again with no restart of ours', async t => {
  const context = await stackOnRedis(t)
  await context.redis.stop()
  await failClosed(t, context, 'down')
  await context.redis.start()
  // Back, but empty: the IdP and app reconnect by themselves; a new sign-in goes through.
  let signedIn = false
  for (let i = 0; i < 30 && !signedIn; i++) {
    signedIn = await signInToApp(context.stack, new HttpSession(), 'bob').then(() => true, () => false)
    if (!signedIn) await new Promise(resolve => setTimeout(resolve, 200))
  }
  t.ok(signedIn, 'bob signs in once Redis is back')
  t.same(unhandled, [], 'no unhandled rejection')
})

t.test('Redis slow (answers nothing for 8 s): fail closed within the deadline, then the same session works', async t => {
  const context = await stackOnRedis(t)
  // The four requests below take about a second each (two deadlines); 8 s keeps Redis frozen until the
  // last of them is answered, even on a loaded machine.
  await context.redis.freeze(8000)
  // At the latest: the sleep began before freeze() returned.
  const thawsAt = Date.now() + 8000
  await failClosed(t, context, 'slow')
  await new Promise(resolve => setTimeout(resolve, Math.max(0, thawsAt - Date.now()) + 200))
  const home = await context.session.get(`${context.stack.client.origin}/`)
  t.equal(home.status, 200, 'alice is still signed in')
  t.match(home.body, 'data-sub="alice"')
  t.same(unhandled, [], 'no unhandled rejection')
})

t.test('Redis restarted between two requests: reconnected by itself, and the login page renders for a new sign-in', async t => {
  const context = await stackOnRedis(t)
  await context.redis.stop()
  await context.redis.start()
  let page: Awaited<ReturnType<typeof beginLogin>> | undefined
  for (let i = 0; i < 30 && page == null; i++) {
    page = await beginLogin(context.stack.idp).catch(() => undefined)
    if (page == null) await new Promise(resolve => setTimeout(resolve, 200))
  }
  t.ok(page != null, 'the login page renders')
  t.match(page?.page.body ?? '', 'passkey-signin-button')
  t.same(unhandled, [], 'no unhandled rejection')
})
