// Bytes of JavaScript each page loads — raw, gzip (level 9) and brotli (quality 11) — beside the seed's
// approach (the SDK's prebuilt bundle plus its page script). Every file is compressed on its own, as a
// server sends it. The elements' numbers are the package's own: `passkey-elements/assets.json` lists each
// element's entry and the chunks it imports, with the sizes of the precompressed copies the package ships.
//
//   npm run build -w passkey-elements && npx tsx bench/element-size.ts
//
// Exits 1 when the login page goes over its budget (24 KB gzip).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const BUDGET_GZIP = 24_000

interface Assets {
  version: number
  elements: Record<string, { entry: string, imports: string[] }>
  files: Record<string, { bytes: number, gzip: number, br: number }>
}
interface Measured { file: string, raw: number, gzip: number, br: number }

const require = createRequire(import.meta.url)
const assetsFile = require.resolve('passkey-elements/assets.json')
const assets = JSON.parse(readFileSync(assetsFile, 'utf8')) as Assets
if (assets.version !== 1) throw new Error(`${assetsFile}: unknown version ${assets.version}`)

/** Every module a page with these elements loads (entries and their imports, once each), as listed. */
function elementsPage (names: string[]): Measured[] {
  const files: string[] = []
  for (const name of names) {
    const element = assets.elements[name]
    if (element == null) throw new Error(`${assetsFile} has no element ${name}`)
    for (const file of [element.entry, ...element.imports]) if (!files.includes(file)) files.push(file)
  }
  return files.map(file => {
    const info = assets.files[file]
    if (info == null) throw new Error(`${assetsFile} does not list ${file}`)
    return { file, raw: info.bytes, gzip: info.gzip, br: info.br }
  })
}

function measure (file: string, path: string): Measured {
  const bytes = readFileSync(path)
  return {
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length,
    br: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length
      }
    }).length
  }
}

const sdkMin = require.resolve('@authsignal/browser').replace(/index\.js$/, 'index.min.js')
const seedPage = (script: string): Measured[] => [
  measure('@authsignal/browser/dist/index.min.js', sdkMin),
  measure(`page script (${script})`, join(import.meta.dirname, script))
]

const total = (files: Measured[]): Measured => files.reduce(
  (sum, f) => ({ file: 'total', raw: sum.raw + f.raw, gzip: sum.gzip + f.gzip, br: sum.br + f.br }),
  { file: 'total', raw: 0, gzip: 0, br: 0 })
const kb = (n: number): string => `${(n / 1000).toFixed(1)} KB`

function print (title: string, files: Measured[]): Measured {
  const sum = total(files)
  console.log(`\n${title}`)
  for (const f of [...files, sum]) {
    console.log(`  ${f.file.padEnd(44)} ${String(f.raw).padStart(7)} B raw  ${String(f.gzip).padStart(6)} B gzip  ${String(f.br).padStart(6)} B br  (${kb(f.gzip)} gzip, ${kb(f.br)} br)`)
  }
  return sum
}

console.log(`JavaScript per page: raw, gzip (level 9) and brotli (quality 11) bytes, each file compressed on its own
Elements: ${assetsFile}`)
const login = print('Login page, elements: <passkey-input> + <passkey-signin-button> and their chunks', elementsPage(['passkey-input', 'passkey-signin-button']))
const seedLogin = print('Login page, seed: SDK prebuilt bundle + inline script', seedPage('seed-login.js'))
const enroll = print('Passkeys page, elements: <passkey-enroll> and its chunks', elementsPage(['passkey-enroll']))
const seedEnroll = print('Passkeys page, seed: SDK prebuilt bundle + passkeys.js', seedPage('seed-passkeys.js'))
const all = print('All three elements on one page', elementsPage(['passkey-input', 'passkey-signin-button', 'passkey-enroll']))

const row = (label: string, elements: Measured, seed?: Measured): string =>
  `  ${label.padEnd(14)} elements ${kb(elements.gzip).padStart(8)} gzip ${kb(elements.br).padStart(8)} br` +
  (seed == null ? '' : `   seed ${kb(seed.gzip).padStart(8)} gzip ${kb(seed.br).padStart(8)} br`)

console.log(`
Summary
${row('login page', login, seedLogin)}   budget ${kb(BUDGET_GZIP)} gzip: ${login.gzip <= BUDGET_GZIP ? 'within' : 'OVER'} (${kb(BUDGET_GZIP - login.gzip)} to spare)
${row('passkeys page', enroll, seedEnroll)}
${row('all elements', all)}`)

if (login.gzip > BUDGET_GZIP) process.exitCode = 1
