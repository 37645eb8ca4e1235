// Two IdP instances sharing Redis (and, for comparison, one instance in memory): a token accepted on one
// is refused as replayed on the other, also when both receive it at the same moment; an MFA return too;
// a locked username stays locked across instances; and the attacks that emptied the old in-memory stores
// (a flood of anonymous authorization requests, spraying junk usernames from many addresses) lose nothing.
import { request as httpRequest } from 'node:http'
import t, { type Test } from 'tap'
import { HttpSession } from './fixtures/http-session.js'
import { startStack } from './fixtures/idp.js'
import { pin, startInstances } from './fixtures/instances.js'
import {
  beginLogin, completeAtRp, completeTotpChallenge, enrollPasskey, getMfaReturn, interactionUrl, passkeySignIn, postPasskeyToken, postPassword
} from './fixtures/oidc-flows.js'
import { startRedis } from './fixtures/redis.js'

const GENERIC = 'We could not complete your sign-in. Please try again.'

/** A request straight to one instance's port, from a chosen loopback address (one of ~50 "clients"). */
async function direct (port: number, host: string, path: string, options: { method?: string, form?: Record<string, string>, from?: string } = {}): Promise<number> {
  const body = options.form != null ? new URLSearchParams(options.form).toString() : undefined
  return await new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      path,
      method: options.method ?? 'GET',
      localAddress: options.from ?? '127.0.0.1',
      headers: {
        host,
        ...(body != null ? { 'content-type': 'application/x-www-form-urlencoded', origin: `http://${host}`, 'sec-fetch-site': 'same-origin', 'content-length': Buffer.byteLength(body) } : {})
      }
    }, res => { res.resume(); res.on('end', () => { resolve(res.statusCode ?? 0) }) })
    req.on('error', reject)
    req.end(body)
  })
}

const portOf = (app: { server: { address (): unknown } }): number => (app.server.address() as { port: number }).port

t.test('a passkey token accepted on instance 1 is refused as replayed on instance 2, also at the same moment', async t => {
  const redis = await startRedis(t)
  const logLines: string[] = []
  const { emulator, idp } = await startInstances(t, { redis: redis.url, logLines })
  const passkey = await enrollPasskey(emulator, 'alice', idp.origin)

  const on = async (instance: number): Promise<Awaited<ReturnType<typeof beginLogin>>> => {
    const session = new HttpSession()
    Object.assign(session.defaultHeaders, pin(instance))
    return await beginLogin(idp, { session })
  }
  const token = await passkeySignIn(emulator, passkey)
  const first = await on(0)
  const accepted = await postPasskeyToken(idp, first, token)
  t.equal(accepted.status, 303, 'accepted on instance 1')
  t.equal((await completeAtRp(first, accepted)).claims.sub, 'alice')
  const second = await on(1)
  const replayed = await postPasskeyToken(idp, second, token)
  t.equal(replayed.status, 400, 'refused on instance 2')
  t.match(replayed.body, GENERIC)
  t.ok(logLines.some(line => line.includes('"reason":"replayed"')), 'as replayed')

  // One fresh token, two instances, the same moment: exactly one sign-in.
  for (let round = 0; round < 5; round++) {
    const fresh = await passkeySignIn(emulator, passkey)
    const [a, b] = [await on(0), await on(1)]
    const answers = await Promise.all([postPasskeyToken(idp, a, fresh), postPasskeyToken(idp, b, fresh)])
    t.same(answers.map(r => r.status).sort(), [303, 400], `round ${round + 1}: one accepted, one refused`)
  }
})

t.test('an MFA return answered on both instances at once signs in once; pending MFA crosses instances', async t => {
  const redis = await startRedis(t)
  const { emulator, idp } = await startInstances(t, { redis: redis.url })
  const session = new HttpSession()
  Object.assign(session.defaultHeaders, pin(0))
  const start = await beginLogin(idp, { session })
  const posted = await postPassword(idp, start, 'alice', 'alice')
  t.equal(posted.status, 303)
  const { token, secret } = await completeTotpChallenge(emulator, posted.location ?? '')
  // The password went to instance 1; the hosted page's return reaches both at the same moment.
  const returns = await Promise.all([0, 1].map(async instance => await start.session.get(`${interactionUrl(idp, start.uid, '/mfa')}?token=${encodeURIComponent(token)}`, pin(instance))))
  const statuses = returns.map(r => r.status).sort()
  t.equal(statuses.filter(s => s === 303).length, 1, `exactly one return signs in (${statuses.join(', ')})`)
  const winner = returns.find(r => r.status === 303)
  t.equal((await completeAtRp(start, winner ?? returns[0] as never)).claims.sub, 'alice')

  // Pending MFA written by one instance is read by the other.
  const other = new HttpSession()
  const next = await beginLogin(idp, { session: other })
  other.defaultHeaders['x-test-instance'] = '0'
  const second = await postPassword(idp, next, 'alice', 'alice')
  const { token: again } = await completeTotpChallenge(emulator, second.location ?? '', { secret, stepOffset: 1 })
  other.defaultHeaders['x-test-instance'] = '1'
  const back = await getMfaReturn(idp, next, again)
  t.equal(back.status, 303, 'the password on instance 1, the return on instance 2')
})

async function lockAndSpray (t: Test, ports: number[], host: string): Promise<void> {
  // alice's password is guessed 10 times (the per-username limit), on the first instance.
  const attempt = async (port: number, username: string, from: string): Promise<number> =>
    await direct(port, host, '/interaction/nosuchinteraction/login', { method: 'POST', form: { username, password: 'guess' }, from })
  for (let i = 0; i < 10; i++) await attempt(ports[0] ?? 0, 'alice', '127.0.0.200')
  t.equal(await attempt(ports[0] ?? 0, 'alice', '127.0.0.201'), 429, 'alice is locked')
  // 5,050 junk usernames from 50 addresses (101 each: within the per-address limit of 100… mostly).
  let sprayed = 0
  for (let address = 2; address < 52; address++) {
    for (let i = 0; i < 101; i++) {
      await attempt(ports[sprayed % ports.length] ?? 0, `junk-${address}-${i}`, `127.0.0.${address}`)
      sprayed++
    }
  }
  t.equal(sprayed, 5050)
  for (const port of ports) t.equal(await attempt(port, 'alice', '127.0.0.202'), 429, 'alice is still locked after the spray (every instance)')
}

t.test('username spraying cannot evict a locked username\'s counter: memory', async t => {
  const { idp } = await startStack(t)
  await lockAndSpray(t, [portOf(idp.app)], new URL(idp.origin).host)
})

t.test('username spraying cannot evict a locked username\'s counter: Redis, across instances', async t => {
  const redis = await startRedis(t)
  const { apps, idp } = await startInstances(t, { redis: redis.url })
  await lockAndSpray(t, apps.map(portOf), new URL(idp.origin).host)
})

async function flood (t: Test, stack: { port: number, host: string, idp: Parameters<typeof beginLogin>[0], emulator: Parameters<typeof completeTotpChallenge>[0] }, limit: number): Promise<void> {
  // alice is signed in (an IdP session), and bob's sign-in is under way (his login page is open).
  const alice = new HttpSession()
  const signedIn = await beginLogin(stack.idp, { session: alice })
  const posted = await postPassword(stack.idp, signedIn, 'alice', 'alice')
  const { token } = await completeTotpChallenge(stack.emulator, posted.location ?? '')
  t.equal((await completeAtRp(signedIn, await getMfaReturn(stack.idp, signedIn, token))).claims.sub, 'alice')
  const bob = await beginLogin(stack.idp)

  // 2,200 anonymous authorization requests from one address.
  const statuses = new Map<number, number>()
  for (let i = 0; i < 2200; i++) {
    const status = await direct(stack.port, stack.host, `/oidc/auth?client_id=test-rp&response_type=code&scope=openid&redirect_uri=${encodeURIComponent('http://localhost:9/callback')}&code_challenge=${'x'.repeat(43)}&code_challenge_method=S256`, { from: '127.0.0.99' })
    statuses.set(status, (statuses.get(status) ?? 0) + 1)
  }
  t.equal(statuses.get(429) ?? 0, Math.max(0, 2200 - limit), `429 after the first ${limit} (${JSON.stringify(Object.fromEntries(statuses))})`)

  // Nothing lost: bob's sign-in continues, and alice's IdP session signs her in again without a password.
  t.equal((await postPassword(stack.idp, bob, 'bob', 'bob')).status, 303, 'the sign-in under way continues')
  const { discover, startAuthorization } = await import('./fixtures/oidc-rp.js')
  const rp = stack.idp.clients[0]
  const config = await discover(stack.idp, rp as never)
  const pending = await startAuthorization(config, rp?.redirectUris[0] ?? '')
  const sso = await alice.follow(pending.url, { stopAt: url => url.pathname === '/callback' })
  t.ok(sso.stoppedAt != null, 'alice\'s IdP session is still there: back at the client with no login page')
}

t.test('a flood of anonymous authorization requests in memory: even past any rate limit, interactions cannot push out sessions', async t => {
  // The limit is set above the flood: the bounded adapter alone must hold (oidc-provider's LRU of ~1,000 did not).
  const { emulator, idp } = await startStack(t, { idp: { authorizationLimit: 5000 } })
  await flood(t, { port: portOf(idp.app), host: new URL(idp.origin).host, idp, emulator }, 5000)
})

// The floods below run under windows of an hour: the counts they assert must not depend on how fast a
// loaded machine gets through 2,200 requests (a minute's window could end midway).
const HOUR = 3_600_000

t.test('a flood of anonymous authorization requests in memory: 429 after the per-address limit (default 60)', async t => {
  const { emulator, idp } = await startStack(t, { idp: { authorizationLimit: { timeWindowMs: HOUR } } })
  await flood(t, { port: portOf(idp.app), host: new URL(idp.origin).host, idp, emulator }, 60)
})

t.test('the same flood with Redis', async t => {
  const redis = await startRedis(t)
  const { emulator, idp, apps } = await startInstances(t, { redis: redis.url, idp: { authorizationLimit: { max: 100, timeWindowMs: HOUR } } })
  await flood(t, { port: portOf(apps[0] as never), host: new URL(idp.origin).host, idp, emulator }, 100)
})
