// The store backends (fastify-passkey-core) and what sits on them — used tokens, pending MFA, rate-limit
// counters, oidc-provider's adapter — held to one contract in memory and on a real redis-server: atomic
// where instances race, TTLs, bounds that never evict live entries, and Redis faults (down, slow,
// restarted) as a 503 in words within the deadline, then recovery by itself.
import t, { type Test } from 'tap'
import { MemoryBackend, RedisBackend, usedTokenStore, type StoreBackend } from 'fastify-passkey-core'
import { createOidcAdapter, pendingMfaStore } from 'fastify-passkey-login'
import { Redis } from 'ioredis'
import { startRedis, type RunningRedis } from './fixtures/redis.js'

const sleep = async (ms: number): Promise<void> => await new Promise(resolve => setTimeout(resolve, ms))

/** Two backends sharing one store: two instances of a server (in memory: the same object). */
async function pair (t: Test, kind: 'memory' | 'redis'): Promise<{ a: StoreBackend, b: StoreBackend, redis?: RunningRedis }> {
  if (kind === 'memory') {
    const shared = new MemoryBackend()
    return { a: shared, b: shared }
  }
  const redis = await startRedis(t)
  const a = new RedisBackend({ redis: redis.url, keyPrefix: 'test:', timeoutMs: 500 })
  const b = new RedisBackend({ redis: redis.url, keyPrefix: 'test:', timeoutMs: 500 })
  t.teardown(async () => { await a.close(); await b.close() })
  return { a, b, redis }
}

for (const kind of ['memory', 'redis'] as const) {
  t.test(`${kind}: the contract`, async t => {
    const { a, b, redis } = await pair(t, kind)

    // One token, two instances, at the same moment: exactly one accepts it.
    const used = [usedTokenStore(a), usedTokenStore(b)]
    const results = await Promise.all(Array.from({ length: 20 }, async (_, i) => await used[i % 2]?.markUsed('idem-key-1', 60)))
    t.equal(results.filter(Boolean).length, 1, 'marked once across instances')
    t.equal(await used[1]?.markUsed('idem-key-1', 60), false)

    // Pending MFA written on one instance, read on the other.
    await pendingMfaStore(a).set('uid-1', { accountId: 'alice', idempotencyKey: 'k', failures: 2 }, 60)
    t.same(await pendingMfaStore(b).get('uid-1'), { accountId: 'alice', idempotencyKey: 'k', failures: 2 })
    await pendingMfaStore(b).delete('uid-1')
    t.equal(await pendingMfaStore(a).get('uid-1'), undefined)

    // Counters: one window across instances.
    const counts = []
    for (let i = 0; i < 4; i++) counts.push((await (i % 2 === 0 ? a : b).increment('rate:x:user', 'alice', 10_000)).current)
    t.same(counts, [1, 2, 3, 4])
    t.ok((await a.increment('rate:x:user', 'alice', 10_000)).ttlMs <= 10_000)

    // Sets, and TTLs that end things.
    await a.addToSet('grant', 'g1', 'AccessToken:1', 1)
    await b.addToSet('grant', 'g1', 'RefreshToken:2', 60)
    t.same((await a.members('grant', 'g1')).sort(), ['AccessToken:1', 'RefreshToken:2'])
    await a.set('short', 'k', 'v', 1)
    t.equal(await b.get('short', 'k'), 'v')
    await sleep(1100)
    t.equal(await b.get('short', 'k'), undefined, 'expired')
    t.equal((await a.members('grant', 'g1')).length, 2, 'a set lives as long as its newest member')

    if (redis != null) {
      const keys = await redis.client.keys('test:*')
      t.ok(keys.length > 0 && keys.every(key => key.startsWith('test:')), 'every key under the prefix')
      t.ok(await redis.client.ttl('test:used-token:idem-key-1') > 0, 'nothing is kept for ever')
    }
  })
}

t.test('memory: a full kind refuses new keys (503) and never evicts a live one; other kinds are untouched', async t => {
  let now = 1_000_000
  const backend = new MemoryBackend({ maxEntries: { 'rate:login:username': 3, default: 100 }, now: () => now })
  await backend.increment('rate:login:username', 'locked-user', 60_000)
  for (let i = 0; i < 2; i++) await backend.increment('rate:login:username', `junk-${i}`, 60_000)
  t.match(await backend.increment('rate:login:username', 'junk-2', 60_000).catch((e: unknown) => e), { statusCode: 503, messageKey: 'unavailable' })
  t.equal((await backend.increment('rate:login:username', 'locked-user', 60_000)).current, 2, 'the locked counter is still there')
  t.equal((await backend.increment('rate:login:ip', '203.0.113.9', 60_000)).current, 1, 'another kind has room')
  now += 61_000
  t.equal((await backend.increment('rate:login:username', 'new-user', 60_000)).current, 1, 'expired entries make room')
})

t.test('oidc-provider adapter: a write reads nothing first, but for a session (whose previous uid it must unindex)', async t => {
  const backend = new MemoryBackend()
  let reads = 0
  const get = backend.get.bind(backend)
  backend.get = async (kind, key) => { reads++; return await get(kind, key) }
  const adapter = createOidcAdapter({ backend })
  for (const model of ['Interaction', 'Grant', 'AuthorizationCode', 'AccessToken']) await adapter(model).upsert(`${model}-1`, { grantId: 'g', accountId: 'alice' }, 60)
  t.equal(reads, 0, 'no read before writing an interaction, a grant, a code or a token')
  await adapter('Session').upsert('s-1', { uid: 'u-1', accountId: 'alice' }, 60)
  t.equal(reads, 1, 'one read before writing a session')
})

t.test('oidc-provider adapter: the storage contract, shared by two instances, memory and Redis', async t => {
  for (const kind of ['memory', 'redis'] as const) {
    const { a, b } = await pair(t, kind)
    const one = createOidcAdapter({ backend: a })
    const two = createOidcAdapter({ backend: b })
    const session = { uid: 'sess-uid-1', accountId: 'alice', exp: 0 }
    await one('Session').upsert('sess-1', session, 60)
    t.same(await two('Session').find('sess-1'), session, `${kind}: found on the other instance`)
    t.same(await two('Session').findByUid('sess-uid-1'), session)
    await one('Session').upsert('sess-1', { ...session, uid: 'sess-uid-2' }, 60)
    t.equal(await two('Session').findByUid('sess-uid-1'), undefined, 'a reset uid no longer finds the session')
    t.same(await two('Session').findByUid('sess-uid-2'), { ...session, uid: 'sess-uid-2' })

    await one('DeviceCode').upsert('dc-1', { userCode: 'ABCD-EFGH', grantId: 'grant-1' }, 60)
    t.same(await two('DeviceCode').findByUserCode('ABCD-EFGH'), { userCode: 'ABCD-EFGH', grantId: 'grant-1' })

    await one('AuthorizationCode').upsert('code-1', { grantId: 'grant-1', accountId: 'alice' }, 60)
    await two('AccessToken').upsert('at-1', { grantId: 'grant-1', accountId: 'alice' }, 60)
    await one('AuthorizationCode').consume('code-1')
    t.type((await two('AuthorizationCode').find('code-1'))?.consumed, 'number', 'consumed, seen by the other instance')
    await two('Grant').revokeByGrantId('grant-1')
    t.equal(await one('AccessToken').find('at-1'), undefined, 'revoking the grant removes tokens issued elsewhere')
    t.equal(await one('AuthorizationCode').find('code-1'), undefined)
    await one('Interaction').upsert('i-1', { uid: 'i-1' } as never, 60)
    await two('Interaction').destroy('i-1')
    t.equal(await one('Interaction').find('i-1'), undefined)
    t.equal(await one('Interaction').find(''), undefined)
  }
})

t.test('oidc-provider adapter in memory: a flood of interactions cannot push out sessions', async t => {
  const adapter = createOidcAdapter({ maxEntries: { Interaction: 50 } })
  await adapter('Session').upsert('live-session', { uid: 'u', accountId: 'alice' }, 3600)
  let refused = 0
  for (let i = 0; i < 80; i++) {
    try { await adapter('Interaction').upsert(`flood-${i}`, {} as never, 3600) } catch (error) { refused++; t.match(error, { statusCode: 503 }) }
  }
  t.equal(refused, 30, 'the interaction kind is full: new ones are refused, not made room for')
  t.same(await adapter('Session').find('live-session'), { uid: 'u', accountId: 'alice' }, 'the session is still there')
})

t.test('Redis down, slow, restarted: a 503 within the deadline, then it works again by itself', async t => {
  const redis = await startRedis(t)
  const backend = new RedisBackend({ redis: redis.url, keyPrefix: 'fault:', timeoutMs: 300 })
  t.teardown(async () => { await backend.close() })
  const store = usedTokenStore(backend)
  t.equal(await store.markUsed('before', 60), true)

  // Slow: the server answers nothing for 3 s. A 503 while it is frozen is the 300 ms deadline at work (the
  // answer after the freeze would be a success); the bound below leaves a loaded machine room.
  await redis.freeze(3000)
  let started = Date.now()
  t.match(await store.markUsed('while-slow', 60).catch((e: unknown) => e), { statusCode: 503, code: 'FST_PASSKEY_UNAVAILABLE' })
  t.ok(Date.now() - started < 2500, 'ended by the deadline, before Redis answered')
  await sleep(3100)

  // Down.
  await redis.stop()
  started = Date.now()
  t.match(await backend.get('x', 'y').catch((e: unknown) => e), { statusCode: 503 })
  t.ok(Date.now() - started < 2500, 'fails without waiting for Redis to come back')

  // Restarted (empty): reconnects by itself.
  await redis.start()
  let recovered = false
  for (let i = 0; i < 50 && !recovered; i++) {
    recovered = await store.markUsed('after', 60).then(() => true, () => false)
    if (!recovered) await sleep(100)
  }
  t.ok(recovered, 'works again after the restart, with no new client')

  // A client of the host's own is used as given, under the same deadline, and never closed by us.
  const own = new Redis(redis.url, { lazyConnect: false })
  own.on('error', () => {})
  const hosted = new RedisBackend({ redis: own, timeoutMs: 300 })
  t.equal(await usedTokenStore(hosted).markUsed('host-client', 60), true)
  await hosted.close()
  t.equal(await own.ping(), 'PONG', 'still open')
  own.disconnect()
})
