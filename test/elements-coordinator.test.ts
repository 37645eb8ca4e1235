// The page's ceremony coordinator (components/src/internal/ceremony-coordinator.ts) on its own: pure
// promise-and-timer logic, driven here by a scripted autofill whose attempts the test ends by hand.
import t, { type Test } from 'tap'
import { CeremonyCoordinator, type AutofillRegistration } from '../components/src/internal/ceremony-coordinator.js'

type Result = 'ok' | 'cancelled' | 'aborted'

interface ScriptedAttempt {
  end (result: Result): void
  ended: boolean
  /** False while the attempt is "fetching its challenge": an abort then does nothing. */
  abortable: boolean
}

function scriptedAutofill (options: { refreshMs?: number, settle?: (r: Result) => boolean, busy?: () => boolean } = {}) {
  const attempts: ScriptedAttempt[] = []
  const settled: Result[] = []
  let aborts = 0
  const registration: AutofillRegistration<Result> = {
    attempt: async () => await new Promise<Result>(resolve => {
      const attempt: ScriptedAttempt = {
        ended: false,
        abortable: true,
        end (result) { if (!attempt.ended) { attempt.ended = true; resolve(result) } }
      }
      attempts.push(attempt)
    }),
    abort: () => {
      aborts++
      const current = attempts.at(-1)
      if (current?.abortable === true) current.end('aborted')
    },
    settle: result => { settled.push(result); return options.settle?.(result) ?? true },
    succeeded: result => result === 'ok',
    busy: options.busy,
    refreshMs: options.refreshMs ?? 60_000
  }
  return { registration, attempts, settled, aborts: () => aborts }
}

async function until (what: string, predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 2))
  }
}

// Short delays so the scripted runs take milliseconds.
const coordinator = (): CeremonyCoordinator =>
  new CeremonyCoordinator({ backoffMs: 5, abortPollMs: 5, abortWaitMs: 2000, busyRetryMs: 10, maxBusyDeferrals: 2, maxFailures: 3 })

/** Registers, and unregisters in teardown so no refresh timer outlives the test. */
function register (t: Test, c: CeremonyCoordinator, registration: AutofillRegistration<Result>): () => Promise<void> {
  const unregister = c.registerAutofill(registration)
  t.teardown(unregister)
  return unregister
}

t.test('registering arms autofill at once', async t => {
  const c = coordinator()
  const { registration, attempts } = scriptedAutofill()
  const unregister = register(t, c, registration)
  await until('an attempt', () => attempts.length === 1)
  t.equal(c.autofillArmed, true)
  await unregister()
  t.equal(attempts[0].ended, true, 'unregistering aborts the attempt')
  t.equal(c.autofillArmed, false)
})

t.test('a modal ceremony aborts autofill, waits for it, and re-arms it when released', async t => {
  const c = coordinator()
  const { registration, attempts, settled } = scriptedAutofill()
  register(t, c, registration)
  await until('an attempt', () => attempts.length === 1)
  const lease = await c.acquire()
  t.equal(attempts[0].ended, true, 'the autofill attempt ended before the lease was granted')
  t.same(settled, [], 'an attempt the coordinator aborted is not reported')
  t.equal(c.modalActive, true)
  t.equal(attempts.length, 1, 'no autofill while the modal ceremony runs')
  lease.release()
  await until('the re-armed attempt', () => attempts.length === 2)
  t.equal(c.modalActive, false)
})

t.test('release({ rearm: false }) keeps autofill down (the page is submitting)', async t => {
  const c = coordinator()
  const { registration, attempts } = scriptedAutofill()
  register(t, c, registration)
  await until('an attempt', () => attempts.length === 1)
  const lease = await c.acquire()
  lease.release({ rearm: false })
  lease.release()
  await new Promise(resolve => setTimeout(resolve, 30))
  t.equal(attempts.length, 1, 'not re-armed, and a second release changes nothing')
})

t.test('an attempt still fetching its challenge is aborted once it can be', async t => {
  const c = coordinator()
  const { registration, attempts, settled, aborts } = scriptedAutofill()
  register(t, c, registration)
  await until('an attempt', () => attempts.length === 1)
  attempts[0].abortable = false
  let granted = false
  const leased = c.acquire().then(lease => { granted = true; return lease })
  await until('repeated aborts', () => aborts() >= 3)
  t.equal(granted, false, 'the modal ceremony waits while the attempt cannot be aborted')
  attempts[0].abortable = true
  const lease = await leased
  t.equal(attempts[0].ended, true)
  t.same(settled, [])
  lease.release()
})

t.test('an aborted attempt that succeeded anyway is ignored', async t => {
  const c = coordinator()
  const { registration, attempts, settled } = scriptedAutofill()
  register(t, c, registration)
  await until('an attempt', () => attempts.length === 1)
  attempts[0].abortable = false
  const leased = c.acquire()
  await new Promise(resolve => setTimeout(resolve, 10))
  attempts[0].end('ok')
  const lease = await leased
  t.same(settled, [], 'its token is not used: the modal ceremony owns the page')
  lease.release()
})

t.test('failures re-arm with backoff, up to maxFailures; a modal ceremony resets the count', async t => {
  const c = coordinator()
  const { registration, attempts, settled } = scriptedAutofill()
  register(t, c, registration)
  for (let i = 1; i <= 3; i++) {
    await until(`attempt ${i}`, () => attempts.length === i)
    attempts[i - 1].end('cancelled')
  }
  await new Promise(resolve => setTimeout(resolve, 60))
  t.equal(attempts.length, 3, 'no fourth attempt after three failures in a row')
  t.same(settled, ['cancelled', 'cancelled', 'cancelled'])
  const lease = await c.acquire()
  lease.release()
  await until('the attempt after the modal ceremony', () => attempts.length === 4)
})

t.test('a settled success that answers false keeps autofill down', async t => {
  const c = coordinator()
  const { registration, attempts, settled } = scriptedAutofill({ settle: r => r !== 'ok' })
  register(t, c, registration)
  await until('an attempt', () => attempts.length === 1)
  attempts[0].end('ok')
  await new Promise(resolve => setTimeout(resolve, 30))
  t.same(settled, ['ok'])
  t.equal(attempts.length, 1)
  t.equal(c.autofillArmed, false)
})

t.test('armed autofill is refreshed every refreshMs; while busy it waits, but only so long', async t => {
  const c = new CeremonyCoordinator({ abortPollMs: 5, busyRetryMs: 40, maxBusyDeferrals: 2 })
  let busy = false
  const { registration, attempts, settled } = scriptedAutofill({ refreshMs: 20, busy: () => busy })
  const unregister = register(t, c, registration)
  await until('a refresh', () => attempts.length >= 2)
  t.equal(attempts[0].ended, true, 'the stale attempt was aborted')
  t.same(settled, [], 'a refresh is not a failure')
  busy = true
  const count = attempts.length
  await new Promise(resolve => setTimeout(resolve, 25))
  t.equal(attempts.length, count, 'no refresh while the user is at the field')
  busy = false
  await until('the deferred refresh', () => attempts.length > count)
  // Busy for good (an autofocused field): the refresh waits maxBusyDeferrals times, then happens anyway.
  busy = true
  const before = attempts.length
  await until('a refresh despite the focus', () => attempts.length > before)
  await unregister()
})

t.test('a refreshMs function is read each time autofill is armed, after its attempt started (the life left in the options it took)', async t => {
  const c = coordinator()
  const delays = [15, 60_000]
  const reads: number[] = []
  const { registration, attempts } = scriptedAutofill()
  registration.refreshMs = () => {
    reads.push(attempts.length)
    return delays[reads.length - 1] ?? 60_000
  }
  const unregister = register(t, c, registration)
  await until('the refresh the first attempt asked for', () => attempts.length >= 2)
  t.same(reads, [1, 2], 'read once per arming, with the attempt already started')
  await new Promise(resolve => setTimeout(resolve, 40))
  t.equal(attempts.length, 2, 'the second attempt asked for a later refresh')
  await unregister()
})

t.test('modal ceremonies take turns', async t => {
  const c = coordinator()
  const first = await c.acquire()
  let second = false
  const next = c.acquire().then(lease => { second = true; return lease })
  await new Promise(resolve => setTimeout(resolve, 20))
  t.equal(second, false, 'the second waits for the first')
  first.release()
  const lease = await next
  t.equal(second, true)
  lease.release()
})

t.test('a second registration replaces the first', async t => {
  const c = coordinator()
  const one = scriptedAutofill()
  const two = scriptedAutofill()
  const unregisterOne = register(t, c, one.registration)
  await until('the first attempt', () => one.attempts.length === 1)
  register(t, c, two.registration)
  await until('the second registration armed', () => two.attempts.length === 1)
  t.equal(one.attempts[0].ended, true)
  await unregisterOne()
  t.equal(two.attempts[0].ended, false, 'unregistering a replaced registration does not touch the current one')
})
