// Bytes of JavaScript each page loads, raw and gzip, beside the seed's approach (the SDK's prebuilt bundle
// plus its page script). Every file is compressed on its own, as a server sends it.
//
//   npm run build && npx tsx bench/element-size.ts
//
// Exits 1 when the login page goes over its budget (24 KB gzip).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, join } from 'node:path'
import { constants, gzipSync } from 'node:zlib'
import { DEFAULT_ELEMENTS_DIST, elementScripts, type ElementName } from '../plugins/shared/elements.js'

const BUDGET_GZIP = 24_000
const PREFIX = '/'

interface Measured { file: string, raw: number, gzip: number }

function measure (file: string, path: string): Measured {
  const bytes = readFileSync(path)
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length }
}

function elementsPage (names: ElementName[]): Measured[] {
  const { scripts, preloads } = elementScripts(PREFIX, names)
  return [...scripts, ...preloads].map(url => measure(url.slice(PREFIX.length), join(DEFAULT_ELEMENTS_DIST, url.slice(PREFIX.length))))
}

const sdkMin = createRequire(import.meta.url).resolve('@authsignal/browser').replace(/index\.js$/, 'index.min.js')
const seedPage = (script: string): Measured[] => [
  measure('@authsignal/browser/dist/index.min.js', sdkMin),
  measure(`page script (${script})`, join(import.meta.dirname, script))
]

const total = (files: Measured[]): Measured => files.reduce((sum, f) => ({ file: 'total', raw: sum.raw + f.raw, gzip: sum.gzip + f.gzip }), { file: 'total', raw: 0, gzip: 0 })
const kb = (n: number): string => `${(n / 1000).toFixed(1)} KB`

function print (title: string, files: Measured[]): Measured {
  const sum = total(files)
  console.log(`\n${title}`)
  for (const f of [...files, sum]) {
    console.log(`  ${basename(f.file).padEnd(44)} ${String(f.raw).padStart(7)} B raw  ${String(f.gzip).padStart(6)} B gzip  (${kb(f.gzip)})`)
  }
  return sum
}

console.log('JavaScript per page: raw and gzip (level 9) bytes, each file compressed on its own')
const login = print('Login page, elements: <passkey-input> + <passkey-signin-button> and their chunks', elementsPage(['passkey-input', 'passkey-signin-button']))
const seedLogin = print('Login page, seed: SDK prebuilt bundle + inline script', seedPage('seed-login.js'))
const enroll = print('Passkeys page, elements: <passkey-enroll> and its chunks', elementsPage(['passkey-enroll']))
const seedEnroll = print('Passkeys page, seed: SDK prebuilt bundle + passkeys.js', seedPage('seed-passkeys.js'))
const all = print('All three elements on one page', elementsPage(['passkey-input', 'passkey-signin-button', 'passkey-enroll']))

console.log(`
Summary (gzip)
  login page     elements ${kb(login.gzip).padStart(8)}   seed ${kb(seedLogin.gzip).padStart(8)}   budget ${kb(BUDGET_GZIP)}: ${login.gzip <= BUDGET_GZIP ? 'within' : 'OVER'} (${kb(BUDGET_GZIP - login.gzip)} to spare)
  passkeys page  elements ${kb(enroll.gzip).padStart(8)}   seed ${kb(seedEnroll.gzip).padStart(8)}
  all elements   ${kb(all.gzip).padStart(8)}`)

if (login.gzip > BUDGET_GZIP) process.exitCode = 1
