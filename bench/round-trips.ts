// Round trips on the passkey sign-in's critical paths, in Chromium against the demo (IdP, app, local Authsignal
// server), with LATENCY_MS (100) added to every Authsignal request — preflights and the IdP's own calls too:
//   (i)   login page DOMContentLoaded → autofill armed (the conditional navigator.credentials.get), and the same
//         from the navigation's start (what the user waits for; it includes the IdP's answer);
//   (ii)  click on "Sign in with a passkey" → the modal prompt (navigator.credentials.get);
//   (iii) that click → signed in on the app (its home page's DOMContentLoaded).
// Each is printed in ms and in round trips (ms / LATENCY_MS), with the requests on its path: every request the
// Authsignal server received (method, path, from the browser or the IdP) and the browser's requests to the IdP
// and the app. A first visit runs in a fresh browser profile (no connection, no cached preflight); a repeat
// visit signs in again in the same profile, signed out (cookies cleared), with the preflight cache kept.
// Autofill is held (never answered) so the button is what signs in; the virtual authenticator answers the
// modal prompt at once. Medians of RUNS runs per mode, with their spread.
//
//   npx tsx bench/round-trips.ts                      (RUNS=5 LATENCY_MS=100 MODES=browser,prepared)
//   MODES=browser npx tsx bench/round-trips.ts        the elements fetch their challenge (IDP_PREPARE_SIGN_IN=off,
//                                                     and the fallback when the IdP could not prepare them in time)
//   MODES=prepared ...                                the IdP prepares the challenge and options as it renders
//                                                     (prepareSignIn: the demo's default)
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { chromium, type Browser, type Page } from 'playwright-core'
import { build as buildEmulator } from '../servers/authsignal-emulator/dist/app.js'
import { DEMO_CLIENT_ID } from '../servers/idp/config.js'
import { CHROMIUM_ARGS, CHROMIUM_PATH, addVirtualAuthenticator } from '../test/fixtures/browser.js'
import { startClientApp } from '../test/fixtures/client-app.js'
import { recordCeremonies, type CeremonyMark } from '../test/fixtures/elements-browser.js'
import { TEST_SECRET, TEST_TENANT, freePort, type RunningEmulator } from '../test/fixtures/emulator.js'
import { startIdp } from '../test/fixtures/idp.js'
import { enrollPasskey } from '../test/fixtures/oidc-flows.js'
import { createAuthsignalClient } from 'fastify-passkey-core'

const RUNS = Number(process.env.RUNS ?? 5)
const LATENCY_MS = Number(process.env.LATENCY_MS ?? 100)
const MODES = (process.env.MODES ?? 'browser,prepared').split(',').map(m => m.trim()).filter(Boolean) as Mode[]
type Mode = 'browser' | 'prepared'

interface Teardown { teardown (fn: () => unknown): void }
const cleanups: Array<() => unknown> = []
const t: Teardown = { teardown: fn => { cleanups.push(fn) } }

/** A request on a critical path: when it started and ended (ms from the path's start), and where it went. */
interface Hop { start: number, end: number, label: string }
interface Measure { ms: number, hops: Hop[] }
interface Run { dclToArmed: Measure, navToArmed: Measure, clickToPrompt: Measure, clickToSignedIn: Measure }

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] ?? Number.NaN }

async function stack (mode: Mode): Promise<{ run: (browser: Browser, visits: number) => Promise<Run[]>, close: () => Promise<void> }> {
  const [emulatorPort, idpPort, appPort] = [await freePort(), await freePort(), await freePort()]
  const origins = { emulator: `http://localhost:${emulatorPort}`, idp: `http://localhost:${idpPort}`, app: `http://localhost:${appPort}` }
  const app = await buildEmulator({
    secret: TEST_SECRET, tenantId: TEST_TENANT, dataFile: ':memory:', logger: false, publicUrl: origins.emulator, expectedOrigins: [origins.idp, origins.app]
  })
  await app.listen({ port: emulatorPort, host: 'localhost' })
  // Every request the Authsignal server receives (preflights included), from its arrival (before the added
  // latency) to the end of its answer.
  const received: Array<{ at: number, done: number, label: string }> = []
  app.server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '').split('?')[0]?.replace(/^\/v1/, '') ?? ''
    const entry = { at: performance.timeOrigin + performance.now(), done: Number.NaN, label: `${request.headers.origin != null ? 'browser' : 'IdP'} → Authsignal ${request.method ?? ''} ${path}` }
    received.push(entry)
    response.once('finish', () => { entry.done = performance.timeOrigin + performance.now() })
  })
  t.teardown(() => app.close())
  const emulator: RunningEmulator = {
    app,
    origin: origins.emulator,
    apiUrl: `${origins.emulator}/v1`,
    secret: TEST_SECRET,
    tenantId: TEST_TENANT,
    ctx: app.emulator,
    serverClient: () => createAuthsignalClient({ secret: TEST_SECRET, apiUrl: `${origins.emulator}/v1` }),
    stop: async () => { await app.close() }
  }
  const clientSecret = randomBytes(24).toString('base64url')
  const idp = await startIdp(t, {
    emulator,
    port: idpPort,
    appOrigin: origins.app,
    clients: [{ clientId: DEMO_CLIENT_ID, clientSecret, clientName: 'Demo app', redirectUris: [`${origins.app}/callback`], postLogoutRedirectUris: [`${origins.app}/`] }],
    // The plugin's option, passed through the demo's build() (which forwards its passkeyLogin settings).
    ...(mode === 'prepared' ? { passkeyLogin: { prepareSignIn: true } } : {})
  })
  await startClientApp(t, { emulator, idp, port: appPort, clientSecret })
  const passkey = await enrollPasskey(emulator, 'alice', origins.idp)
  const [credential] = [...passkey.authenticator.credentials.values()]
  if (credential == null) throw new Error('no passkey was enrolled')

  async function run (browser: Browser, visits: number): Promise<Run[]> {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      const authenticator = await addVirtualAuthenticator(page)
      // The counter the Authsignal server last saw: each run's authenticator carries on from it.
      await authenticator.addCredential(credential, app.emulator.store.findPasskey(credential.id.toString('base64url'))?.passkey?.counter ?? credential.counter)
      const marks = await recordCeremonies(page, { holdAutofill: true })
      const browserRequests: Array<{ at: number, done: number, label: string }> = []
      page.on('requestfinished', request => {
        const url = new URL(request.url())
        if (url.origin === origins.emulator) return
        const timing = request.timing()
        const where = url.origin === origins.idp ? 'IdP' : url.origin === origins.app ? 'app' : url.origin
        browserRequests.push({ at: timing.startTime, done: timing.startTime + timing.responseEnd, label: `browser → ${where} ${request.method()} ${url.pathname.replace(/\/[A-Za-z0-9_-]{20,}/g, '/…')}` })
      })
      const results: Run[] = []
      for (let visit = 0; visit < visits; visit++) {
        if (visit > 0) await context.clearCookies()
        marks.length = 0
        received.length = 0
        browserRequests.length = 0
        app.emulator.faults.set([{ latencyMs: LATENCY_MS }])
        await page.goto(`${origins.app}/login`)
        await page.waitForURL(url => url.origin === origins.idp && url.pathname.startsWith('/interaction/'))
        const armed = await waitForMark(marks, m => m.type === 'get' && m.mediation === 'conditional')
        const loginPage = armed.url
        const nav = findMark(marks, m => m.type === 'navigation' && m.url === loginPage)
        const dcl = await waitForMark(marks, m => m.type === 'dcl' && m.url === loginPage)
        // The page sits a moment with autofill armed, as it would while the user looks at it.
        await page.waitForTimeout(500)
        await page.locator('passkey-signin-button button').click()
        const click = await waitForMark(marks, m => m.type === 'click' && m.url === loginPage)
        const prompt = await waitForMark(marks, m => m.type === 'get' && m.mediation === 'modal' && m.at > click.at)
        const home = await waitForMark(marks, m => m.type === 'dcl' && new URL(m.url).origin === origins.app && new URL(m.url).pathname === '/' && m.at > click.at, 20_000)
        await page.waitForTimeout(100)
        app.emulator.faults.clear()
        const hops = (from: number, to: number): Hop[] => [...received, ...browserRequests]
          .filter(r => r.at >= from - 1 && r.at <= to)
          .sort((a, b) => a.at - b.at)
          .map(r => ({ start: r.at - from, end: (Number.isNaN(r.done) ? to : r.done) - from, label: r.label }))
        results.push({
          dclToArmed: { ms: armed.at - dcl.at, hops: hops(dcl.at, armed.at) },
          navToArmed: { ms: armed.at - nav.at, hops: hops(nav.at, armed.at) },
          clickToPrompt: { ms: prompt.at - click.at, hops: hops(click.at, prompt.at) },
          clickToSignedIn: { ms: home.at - click.at, hops: hops(click.at, home.at) }
        })
      }
      return results
    } finally {
      await context.close()
    }
  }

  return { run, close: async () => { for (const fn of cleanups.splice(0).reverse()) await fn() } }
}

function findMark (marks: CeremonyMark[], predicate: (m: CeremonyMark) => boolean): CeremonyMark {
  const mark = marks.find(predicate)
  if (mark == null) throw new Error('a mark is missing')
  return mark
}

async function waitForMark (marks: CeremonyMark[], predicate: (m: CeremonyMark) => boolean, timeoutMs = 10_000): Promise<CeremonyMark> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const mark = marks.find(predicate)
    if (mark != null) return mark
    if (Date.now() > deadline) throw new Error(`timed out waiting for a mark (have: ${marks.map(m => `${m.type}${m.mediation != null ? `:${m.mediation}` : ''} ${m.url}`).join(', ')})`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

const rt = (ms: number): string => `${(ms / LATENCY_MS).toFixed(1)} RT`
const fmt = (xs: number[]): string => `${median(xs).toFixed(0).padStart(5)} ms ≈ ${rt(median(xs)).padStart(6)}   (runs: ${xs.map(x => x.toFixed(0)).join(', ')})`

function printPath (title: string, runs: Run[], pick: (r: Run) => Measure): void {
  const measures = runs.map(pick)
  console.log(`  ${title.padEnd(46)} ${fmt(measures.map(m => m.ms))}`)
  // The requests of the median run.
  const sorted = [...measures].sort((a, b) => a.ms - b.ms)
  const typical = sorted[Math.floor(sorted.length / 2)]
  if (typical == null || typical.hops.length === 0) {
    console.log('      no request on this path')
    return
  }
  const authsignal = typical.hops.filter(h => h.label.includes('Authsignal'))
  console.log(`      ${authsignal.length} Authsignal request${authsignal.length === 1 ? '' : 's'} (${authsignal.filter(h => h.label.includes(' OPTIONS ')).length} preflight), ${typical.hops.length - authsignal.length} to the IdP or app:`)
  for (const hop of typical.hops) console.log(`      ${hop.start.toFixed(0).padStart(5)}–${hop.end.toFixed(0).padEnd(5)} ms  ${hop.label}`)
}

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
try {
  console.log(`Passkey sign-in critical paths in Chromium, ${LATENCY_MS} ms added to every Authsignal request (RT = ${LATENCY_MS} ms); medians of ${RUNS} runs`)
  for (const mode of MODES) {
    const { run, close } = await stack(mode)
    try {
      const first: Run[] = []
      const repeat: Run[] = []
      // One warm-up run (module compilation, the IdP's first requests), not counted.
      await run(browser, 1)
      for (let i = 0; i < RUNS; i++) {
        const [a, b] = await run(browser, 2)
        if (a != null) first.push(a)
        if (b != null) repeat.push(b)
      }
      for (const [visit, runs] of [['first visit (fresh profile)', first], ['repeat visit (same profile, signed out)', repeat]] as const) {
        console.log(`\n${mode === 'browser' ? 'The elements fetch their challenge (IDP_PREPARE_SIGN_IN=off, or the IdP missed its deadline)' : 'The IdP prepares the challenge and options as it renders the page (the demo\'s default)'} — ${visit}`)
        printPath('(i)  DOMContentLoaded → autofill armed', runs, r => r.dclToArmed)
        printPath('     navigation start → autofill armed', runs, r => r.navToArmed)
        printPath('(ii) click → modal prompt', runs, r => r.clickToPrompt)
        printPath('(iii) click → signed in on the app', runs, r => r.clickToSignedIn)
      }
    } finally {
      await close()
    }
  }
} finally {
  await browser.close()
}
