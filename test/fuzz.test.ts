// A small fixed-seed slice of the fuzzer (bench/fuzz.ts runs thousands): malformed requests to every
// route of the three servers must get no 5xx, leak no internals, never hang, and leave each server up.
import t from 'tap'
import { fuzz } from './fixtures/fuzz.js'
import { fuzzTargets } from './fixtures/fuzz-targets.js'

const SEED = 20261124
const PER_SERVER = 250

t.test('fuzz slice: every route of the emulator, the IdP and the app', async t => {
  const { targets } = await fuzzTargets(t)
  for (const target of targets) {
    const report = await fuzz(target, { seed: SEED, count: PER_SERVER, concurrency: 4 })
    t.equal(report.sent + report.notSent, PER_SERVER, `${target.name}: all requests generated`)
    t.ok(report.sent > PER_SERVER * 0.9, `${target.name}: ${report.sent} sent`)
    t.same(report.serverErrors, [], `${target.name}: no 5xx`)
    t.same(report.leaks, [], `${target.name}: no internals in any answer`)
    t.same(report.hangs, [], `${target.name}: no hang`)
    t.ok(report.alive, `${target.name}: still answers`)
    t.ok(Object.keys(report.statuses).some(s => s.startsWith('2') || s.startsWith('3')), `${target.name}: some requests got through the gates`)
    t.comment(`${target.name}: ${JSON.stringify(report.statuses)}`)
  }
})
