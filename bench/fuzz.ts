// Bad input at scale: several thousand malformed requests to every route of the three servers.
// Prints per server the requests sent, the status histogram, any 5xx (with what triggered it), any
// answer leaking internals, hangs, liveness afterwards and memory before/after.
//
//   npm run build && npx tsx --expose-gc bench/fuzz.ts        (FUZZ_REQUESTS=3000 per server, FUZZ_SEED=1)
//
import { fuzz } from '../test/fixtures/fuzz.js'
import { fuzzTargets } from '../test/fixtures/fuzz-targets.js'

const count = Number(process.env.FUZZ_REQUESTS ?? 3000)
const seed = Number(process.env.FUZZ_SEED ?? 1)
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`
const gc = (globalThis as { gc?: () => void }).gc
const memory = (): NodeJS.MemoryUsage => { gc?.(); return process.memoryUsage() }

const cleanups: Array<() => unknown> = []
let failed = false
try {
  const { targets } = await fuzzTargets({ teardown: fn => { cleanups.push(fn) } })
  const before = memory()
  console.log(`fuzz: ${count} requests per server, seed ${seed}${gc == null ? ' (run with --expose-gc for settled memory figures)' : ''}`)
  let total = 0
  let fives = 0
  for (const target of targets) {
    const report = await fuzz(target, { seed, count, concurrency: 8 })
    total += report.sent
    fives += report.serverErrors.length
    const statuses = Object.entries(report.statuses).sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `${s}×${n}`).join(' ')
    console.log(`\n${report.name}: ${report.sent} sent (${report.notSent} refused by Node's client) in ${(report.durationMs / 1000).toFixed(1)} s`)
    console.log(`  statuses: ${statuses}`)
    console.log(`  5xx: ${report.serverErrors.length}   leaks: ${report.leaks.length}   hangs: ${report.hangs.length}   alive afterwards: ${report.alive ? 'yes' : 'NO'}`)
    for (const e of report.serverErrors.slice(0, 5)) console.log(`    5xx ${e.status} ${e.method} ${e.path} → ${e.body}`)
    for (const l of report.leaks.slice(0, 5)) console.log(`    leak ${l.status} ${l.method} ${l.path} → ${l.excerpt}`)
    for (const h of report.hangs.slice(0, 5)) console.log(`    hang ${h.method} ${h.path}`)
    if (report.serverErrors.length > 0 || report.leaks.length > 0 || report.hangs.length > 0 || !report.alive) failed = true
  }
  const after = memory()
  console.log(`\ntotal: ${total} requests, ${fives} 5xx`)
  console.log(`memory (this process, all three servers): rss ${mb(before.rss)} → ${mb(after.rss)}, heap used ${mb(before.heapUsed)} → ${mb(after.heapUsed)}`)
  // Bounded: generous, since the servers keep sessions, interactions and emulator state from the run.
  if (after.heapUsed > before.heapUsed * 2 + 100 * 1024 * 1024) { console.log('memory: heap grew beyond 2x + 100 MB'); failed = true }
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup()
}
process.exitCode = failed ? 1 : 0
