// The options fetched ahead of a passkey prompt (components/src/internal/options-slot.ts) on their own: which
// ceremony gets which options, how many fetches that takes, and when options are replaced. A scripted fetch
// counts its calls and is answered by hand; the clock is the test's.
import t from 'tap'
import type { PasskeyResult } from '../components/src/internal/error-codes.js'
import { OptionsSlot } from '../components/src/internal/options-slot.js'

interface Scripted {
  slot: OptionsSlot<string>
  /** Fetches started, in order; answer one with `answer(i, value)`. */
  fetches: Array<(result: PasskeyResult<string>) => void>
  clock: { now: number }
  hidden: { value: boolean }
}

function scripted (lifetimeMs = 50_000): Scripted {
  const fetches: Scripted['fetches'] = []
  const clock = { now: 1_000_000 }
  const hidden = { value: false }
  const slot = new OptionsSlot<string>(async () => await new Promise(resolve => { fetches.push(resolve) }), {
    lifetimeMs, now: () => clock.now, hidden: () => hidden.value
  })
  return { slot, fetches, clock, hidden }
}

const ok = (value: string): PasskeyResult<string> => ({ ok: true, value })
const tick = async (ms = 0): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

t.test('a take fetches once; a second take while it is on its way waits for the same fetch and then fetches its own', async t => {
  const { slot, fetches } = scripted()
  const first = slot.take()
  const second = slot.take()
  await tick()
  t.equal(fetches.length, 1, 'one fetch for both')
  fetches[0]?.(ok('a'))
  t.match(await first, { ok: true, value: { value: 'a' } }, 'the first take gets the fetched options')
  await tick()
  t.equal(fetches.length, 2, 'the options are one ceremony\'s: the second take fetches its own')
  fetches[1]?.(ok('b'))
  t.match(await second, { ok: true, value: { value: 'b' } })
  t.equal(slot.ready, false, 'nothing is left over')
})

t.test('options given back serve the next ceremony with no fetch; used options are not given back', async t => {
  const { slot, fetches } = scripted()
  slot.prefetch()
  fetches[0]?.(ok('a'))
  await tick()
  t.equal(slot.ready, true, 'fetched ahead')
  const taken = slot.claim()
  t.equal(taken?.value, 'a', 'claimed synchronously')
  t.equal(slot.ready, false)
  slot.giveBack(taken!)
  const again = await slot.take()
  t.match(again, { ok: true, value: { value: 'a' } }, 'the same options, for the next ceremony')
  t.equal(fetches.length, 1, 'no request between the two ceremonies')
  // Used options (sent to Authsignal) are simply not given back: the next take fetches.
  const next = slot.take()
  await tick()
  t.equal(fetches.length, 2)
  fetches[1]?.(ok('b'))
  t.match(await next, { ok: true, value: { value: 'b' } })
})

t.test('stale options are never handed out, nor held again when given back', async t => {
  const { slot, fetches, clock } = scripted(10_000)
  slot.seed('old', clock.now, 'old')
  const taken = slot.claim()
  t.equal(taken?.value, 'old')
  clock.now += 9_500
  slot.giveBack(taken!)
  t.equal(slot.ready, false, 'within the margin of its expiry: not held again')
  slot.seed('stale', clock.now - 10_000, 'stale')
  t.equal(slot.ready, false, 'a stale seed is ignored')
  const fresh = slot.take()
  await tick()
  t.equal(fetches.length, 1, 'fetched anew')
  fetches[0]?.(ok('new'))
  t.match(await fresh, { ok: true, value: { value: 'new', expiresAt: clock.now + 10_000 } })
})

t.test('options seeded by two elements of one page are held once', async t => {
  const { slot, clock } = scripted()
  slot.seed('server', clock.now, 'challenge-1')
  t.equal(slot.claim()?.value, 'server', 'the first element seeds them; autofill takes them')
  slot.seed('server', clock.now, 'challenge-1')
  t.equal(slot.ready, false, 'the second element seeding the same challenge adds nothing')
  slot.seed('other', clock.now, 'challenge-2')
  t.equal(slot.claim()?.value, 'other', 'other options are seeded')
})

t.test('an aborted take answers at once; the options it waited for stay for the next take', async t => {
  const { slot, fetches } = scripted()
  const controller = new AbortController()
  const abandoned = slot.take(controller.signal)
  await tick()
  controller.abort()
  t.match(await abandoned, { ok: false, code: 'cancelled' }, 'no waiting for the fetch')
  const next = slot.take()
  await tick()
  t.equal(fetches.length, 1, 'the next take waits for the same fetch')
  fetches[0]?.(ok('a'))
  t.match(await next, { ok: true, value: { value: 'a' } })
})

t.test('a failed fetch is the take\'s answer; nothing is held', async t => {
  const { slot, fetches } = scripted()
  const taken = slot.take()
  await tick()
  fetches[0]?.({ ok: false, code: 'network', reason: 'down' })
  t.match(await taken, { ok: false, code: 'network' })
  t.equal(slot.ready, false)
})

t.test('prefetched options are replaced before they go stale while the page is visible; when hidden, once it is visible again', async t => {
  const { slot, fetches, clock, hidden } = scripted(200)
  slot.prefetch()
  fetches[0]?.(ok('a'))
  await tick()
  t.equal(slot.ready, true)
  // The margin is a quarter of a short lifetime: replaced 150 ms after the fetch.
  clock.now += 160
  await tick(170)
  t.equal(fetches.length, 2, 'replaced before going stale')
  t.equal(slot.ready, false, 'the stale ones are dropped meanwhile')
  fetches[1]?.(ok('b'))
  await tick()
  hidden.value = true
  clock.now += 160
  await tick(170)
  t.equal(fetches.length, 2, 'no fetch while the page is hidden')
  t.equal(slot.ready, false)
  hidden.value = false
  slot.visible()
  t.equal(fetches.length, 3, 'the options dropped while hidden are fetched again as soon as the page is visible')
  slot.visible()
  slot.prefetch()
  t.equal(fetches.length, 3, 'once: visible() and prefetch() wait for the fetch on its way')
  fetches[2]?.(ok('c'))
  await tick()
  clock.now += 1000
  slot.visible()
  t.equal(fetches.length, 4, 'stale options found when the page becomes visible are replaced at once')
  fetches[3]?.(ok('d'))
  await tick()
  slot.clear()
  t.equal(slot.ready, false, 'cleared')
})

t.test('a shorter lifetime applies to the options held', async t => {
  const { slot, clock } = scripted(50_000)
  slot.seed('a', clock.now, 'a')
  slot.lifetimeMs = 2000
  clock.now += 1600
  t.equal(slot.ready, false, 'held options now go stale after the shorter lifetime')
  slot.clear()
})
