// User enumeration by timing (checklist E2): a wrong password for an existing account and any password
// for an unknown username must cost the same. Interleaved samples against the real IdP over HTTP;
// prints medians, the ratio and the spread. The test suite checks message and status; time lives here.
//
//   npx tsx bench/enumeration.ts        (SAMPLES=60)
//
import { startStack } from '../test/fixtures/idp.js'
import { HttpSession } from '../test/fixtures/http-session.js'
import { beginLogin } from '../test/fixtures/oidc-flows.js'

const samples = Number(process.env.SAMPLES ?? 60)
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] }
const quantile = (xs: number[], q: number): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * q))] }

const cleanups: Array<() => unknown> = []
try {
  const { idp } = await startStack({ teardown: fn => { cleanups.push(fn) } }, { idp: { passkeyLogin: { rateLimit: false } } })
  const start = await beginLogin(idp, { session: new HttpSession() })
  const url = `${idp.origin}/interaction/${start.uid}/login`
  const cases = { 'wrong password (alice)': { username: 'alice', password: 'not-alices' }, 'unknown user (mallory)': { username: 'mallory', password: 'not-alices' } }
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map(k => [k, []]))
  const bodies = new Set<string>()
  // Warm-up, then interleave so machine noise hits both alike.
  for (const form of Object.values(cases)) await start.session.postForm(url, form)
  for (let i = 0; i < samples; i++) {
    for (const [name, form] of Object.entries(cases)) {
      const t0 = process.hrtime.bigint()
      const response = await start.session.postForm(url, form)
      times[name].push(Number(process.hrtime.bigint() - t0) / 1e6)
      bodies.add(`${response.status} ${/id="login-error">([^<]*)</.exec(response.body)?.[1] ?? ''}`)
    }
  }
  console.log(`password step, ${samples} interleaved samples each (ms):`)
  for (const [name, xs] of Object.entries(times)) {
    console.log(`  ${name.padEnd(24)} median ${median(xs).toFixed(1)}   p10 ${quantile(xs, 0.1).toFixed(1)}   p90 ${quantile(xs, 0.9).toFixed(1)}`)
  }
  const [a, b] = Object.values(times).map(median)
  console.log(`  ratio of medians: ${(Math.max(a, b) / Math.min(a, b)).toFixed(3)}`)
  console.log(`  distinct answers (status + message): ${bodies.size} → ${[...bodies].join(' | ')}`)
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup()
}
