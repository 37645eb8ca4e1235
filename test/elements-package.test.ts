// The published `passkey-elements` package (components/, built by `npm run build -w passkey-elements`):
// dist/assets.json tells the truth about the files next to it (sizes, SRI hashes, precompressed copies,
// the modules each element loads), the types stand alone (no `lit`, no SDK) and compile in a consumer
// under both module resolutions, and `npm pack` ships what servers and TypeScript users need, no sources.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import t, { type Test } from 'tap'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..')
const PACKAGE_DIR = join(ROOT, 'components')
const DIST = join(PACKAGE_DIR, 'dist')
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
const ELEMENTS = ['passkey-input', 'passkey-signin-button', 'passkey-enroll']
const EVENTS = { 'passkey-signin': 'PasskeySigninEvent', 'passkey-enrolled': 'PasskeyEnrolledEvent', 'passkey-error': 'PasskeyErrorEvent' }

interface AssetFile { type: string, bytes: number, integrity: string, br: number, gzip: number, map?: string }
interface Assets {
  version: number
  elements: Record<string, { entry: string, imports: string[] }>
  languages: Record<string, string>
  files: Record<string, AssetFile>
}
const LANGUAGES = ['de', 'es', 'fr', 'it', 'ja', 'ko', 'nl', 'pl', 'pt-BR', 'zh-Hans']
/** The framework typings (types only): subpath name → the module they augment. */
const FRAMEWORKS: Record<string, string> = { react: 'react', preact: 'preact', solid: 'solid-js', svelte: 'svelte/elements', vue: 'vue' }

if (!existsSync(join(DIST, 'assets.json'))) throw new Error('components/dist/assets.json is missing: run `npm run build -w passkey-elements`')
const assets = JSON.parse(readFileSync(join(DIST, 'assets.json'), 'utf8')) as Assets
const pkg = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as Record<string, any>

/** Relative module specifiers a module loads statically: `import … from "./x"`, `export … from "./x"`, `import "./x"`. */
function relativeImports (code: string): string[] {
  return [...code.matchAll(/\b(?:from|import)\s*["'`](\.\.?\/[^"'`]+)["'`]/g)].map(m => m[1]!)
}

/** Relative module specifiers a module loads on demand: `import("./x")`. */
function dynamicImports (code: string): string[] {
  return [...code.matchAll(/\bimport\s*\(\s*["'`](\.\.?\/[^"'`]+)["'`]\s*\)/g)].map(m => m[1]!)
}

/** A module that only imports and re-exports (an element's entry over the shared sign-in chunk). */
function isFacade (code: string): boolean {
  return /^(?:import\{[\w$ ,]+\}from"[^"]+";)*export\{[\w$ ,]+\};?\s*$/.test(code)
}

t.test('assets.json has the agreed shape', async t => {
  t.equal(assets.version, 1)
  t.same(Object.keys(assets).sort(), ['elements', 'files', 'languages', 'version'])
  t.same(Object.keys(assets.elements), ELEMENTS, 'one entry per element')
  for (const [name, element] of Object.entries(assets.elements)) {
    t.match(element.entry, new RegExp(`^${name}-[\\w-]{6,}\\.js$`), `${name}: content-hashed entry`)
    t.ok(element.imports.length >= 1, `${name} imports the shared runtime`)
    t.ok(element.imports.some(file => /^passkey-runtime-[\w-]{6,}\.js$/.test(file)), `${name}: the runtime chunk is among its imports`)
    t.notOk(element.imports.includes(element.entry), `${name}: the entry is not among its own imports`)
    t.equal(new Set(element.imports).size, element.imports.length, `${name}: no duplicate imports`)
  }
  for (const [file, info] of Object.entries(assets.files)) {
    t.match(file, /^[A-Za-z0-9][A-Za-z0-9._-]*\.js(\.map)?$/, `${file}: a flat .js or .js.map name`)
    t.equal(info.type, file.endsWith('.map') ? 'application/json; charset=utf-8' : 'text/javascript; charset=utf-8', `${file}: content type`)
    t.match(info.integrity, /^sha384-[A-Za-z0-9+/]{64}$/, `${file}: SRI hash`)
    if (file.endsWith('.js') && !isFacade(readFileSync(join(DIST, file), 'utf8'))) {
      t.equal(info.map, `${file}.map`, `${file}: its source map`)
      t.ok(assets.files[`${file}.map`], `${file}: its source map is listed`)
    } else if (file.endsWith('.js')) {
      t.equal(info.map, undefined, `${file}: a module of imports and exports only has no map (nothing of ours to map)`)
    } else {
      t.equal(info.map, undefined, `${file}: a source map has no map`)
    }
  }
  t.same(Object.keys(assets.languages).sort(), LANGUAGES, 'one chunk per language but English (which ships in the runtime)')
  for (const [tag, file] of Object.entries(assets.languages)) {
    t.match(file, new RegExp(`^passkey-messages-${tag}-[\\w-]{6,}\\.js$`), `${tag}: a content-hashed chunk`)
    t.ok(assets.files[file], `${tag}: ${file} is a listed file`)
    t.notOk(Object.values(assets.elements).some(element => element.imports.includes(file)), `${tag}: no element preloads it`)
  }
  // Servable: every module and map in dist/ but the stable, unhashed entries for bundlers.
  const stable = new Set(['index.js', ...ELEMENTS.map(name => `${name}.js`)])
  const served = readdirSync(DIST).filter(file => /\.js(\.map)?$/.test(file) && !stable.has(file))
  t.same(Object.keys(assets.files).sort(), served.sort(), 'every hashed module and map of dist/ is listed, nothing else')
})

t.test('every listed file has the listed size and integrity, and its .br/.gz copies hold the same bytes', async t => {
  for (const [file, info] of Object.entries(assets.files)) {
    const bytes = readFileSync(join(DIST, file))
    t.equal(bytes.length, info.bytes, `${file}: bytes`)
    t.equal(info.integrity, `sha384-${createHash('sha384').update(bytes).digest('base64')}`, `${file}: integrity`)
    const br = readFileSync(join(DIST, `${file}.br`))
    const gz = readFileSync(join(DIST, `${file}.gz`))
    t.equal(br.length, info.br, `${file}.br: bytes`)
    t.equal(gz.length, info.gzip, `${file}.gz: bytes`)
    t.ok(brotliDecompressSync(br).equals(bytes), `${file}.br decompresses to the file`)
    t.ok(gunzipSync(gz).equals(bytes), `${file}.gz decompresses to the file`)
    if (bytes.length > 1000) t.ok(br.length < bytes.length && gz.length < bytes.length, `${file}: the copies are smaller`)
    if (file.endsWith('.js') && info.map != null) t.match(bytes.toString('utf8'), new RegExp(`//# sourceMappingURL=${info.map.replaceAll('.', '\\.')}\\s*$`), `${file} names its map`)
  }
  // The stable entries are compressed too: every .js and .js.map in dist/ has its copies.
  for (const file of readdirSync(DIST).filter(f => /\.js(\.map)?$/.test(f))) {
    const bytes = readFileSync(join(DIST, file))
    t.ok(brotliDecompressSync(readFileSync(join(DIST, `${file}.br`))).equals(bytes), `${file}.br`)
    t.ok(gunzipSync(readFileSync(join(DIST, `${file}.gz`))).equals(bytes), `${file}.gz`)
  }
})

t.test('an element\'s entry and imports are everything its modules load (nothing discovered late)', async t => {
  for (const [name, { entry, imports }] of Object.entries(assets.elements)) {
    const loads = [entry, ...imports]
    for (const file of loads) {
      t.ok(assets.files[file], `${name}: ${file} is a listed file`)
      const code = readFileSync(join(DIST, file), 'utf8')
      for (const specifier of relativeImports(code)) {
        t.match(specifier, /^\.\/[^/]+$/, `${file}: imports a flat sibling (${specifier})`)
        t.ok(loads.includes(specifier.slice(2)), `${name}: ${file} imports ${specifier}, which is among the entry and its imports`)
      }
    }
    t.ok(relativeImports(readFileSync(join(DIST, entry), 'utf8')).length >= 1, `${name}: the entry's imports were found (the check is not empty)`)
    // What a module loads on demand is a language chunk, and nothing else.
    const onDemand = loads.flatMap(file => dynamicImports(readFileSync(join(DIST, file), 'utf8')).map(s => s.slice(2)))
    t.same([...new Set(onDemand)].sort(), Object.values(assets.languages).sort(), `${name}: loads each language's chunk on demand, nothing else`)
    // And the other way round: nothing is preloaded that no module of the element loads.
    const loaded = new Set(loads.flatMap(file => relativeImports(readFileSync(join(DIST, file), 'utf8')).map(s => s.slice(2))))
    for (const file of imports) t.ok(loaded.has(file), `${name}: ${file} is loaded by one of its modules`)
  }
})

t.test("the sign-in elements' modules carry no enrollment code, and no module the SDK's ES5 API client or its uuid package", async t => {
  const signIn = new Set(['passkey-input', 'passkey-signin-button'].flatMap(name => [assets.elements[name]!.entry, ...assets.elements[name]!.imports]))
  for (const file of signIn) {
    const code = readFileSync(join(DIST, file), 'utf8')
    t.notMatch(code, /navigator\.credentials\.create|registration-options|\/client\/user-authenticators\/passkey[`"']/, `${file}: no registration ceremony, no registration request`)
    t.notMatch(code, /unexpected registration options|passkey not added/, `${file}: no enrollment steps`)
  }
  for (const file of Object.keys(assets.files).filter(f => f.endsWith('.js'))) {
    const code = readFileSync(join(DIST, file), 'utf8')
    t.notOk(code.includes('Generator is already executing'), `${file}: no __generator state machine (src/internal/authsignal-api.ts sends the SDK's requests)`)
    t.notMatch(code, /randomUUID\.bind|getRandomValues\(\) not supported|for\(let \w+=0;\w+<256;\+\+\w+\)/, `${file}: no uuid package (src/internal/device-id.ts makes the device id)`)
  }
})

t.test('the stable entry modules re-export the hashed ones', async t => {
  for (const name of ELEMENTS) {
    const code = readFileSync(join(DIST, `${name}.js`), 'utf8')
    t.same(relativeImports(code), [`./${assets.elements[name]!.entry}`], `dist/${name}.js re-exports ${assets.elements[name]!.entry}`)
  }
  const index = readFileSync(join(DIST, 'index.js'), 'utf8')
  t.same(relativeImports(index).sort(), ELEMENTS.map(name => `./${assets.elements[name]!.entry}`).sort(), 'dist/index.js loads all three elements')
  const exported = [...index.matchAll(/export \{([^}]*)\}/g)].flatMap(m => m[1]!.split(',').map(s => s.trim())).sort()
  t.same(exported, ['PASSKEY_LANGUAGES', 'PasskeyEnrollElement', 'PasskeyEnrolledEvent', 'PasskeyErrorEvent', 'PasskeyInputElement', 'PasskeySigninButtonElement', 'PasskeySigninEvent', 'setPasskeyMessages'])
})

t.test('the types stand alone and declare the tags and events', async t => {
  const dir = join(DIST, 'types')
  const files = readdirSync(dir)
  t.same(files.filter(f => f.endsWith('.d.ts')).sort(), ['index.d.ts', 'messages.d.ts', ...ELEMENTS.map(n => `${n}.d.ts`), ...Object.keys(FRAMEWORKS).map(n => `${n}.d.ts`)].sort())
  for (const [name, framework] of Object.entries(FRAMEWORKS)) {
    // The framework typings augment their framework's module: that import, and the package's own types, only.
    const imports = [...readFileSync(join(dir, `${name}.d.ts`), 'utf8').matchAll(/^import type .* from '([^']+)'$/gm)].map(m => m[1])
    t.same(imports.sort(), ['./index.js', framework].sort(), `${name}.d.ts imports types from ${framework} and the package only`)
  }
  for (const file of files.filter(f => !Object.keys(FRAMEWORKS).includes(f.replace(/\.d\.ts$/, '')))) {
    const text = readFileSync(join(dir, file), 'utf8')
    t.notMatch(text, /from ['"]lit['"]/, `${file}: does not import lit`)
    // Lit's inlined doc comments show imports in examples; the declarations themselves import nothing.
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
    t.notMatch(code, /\bfrom\s*['"](?!\.\.?\/)[^'"]+['"]/, `${file}: imports nothing outside the package`)
    t.notMatch(code, /\bimport\(\s*['"](?!\.\.?\/)/, `${file}: no import() types of other packages`)
    t.notMatch(text, /@authsignal\/browser|reference types=/, `${file}: no SDK, no type references`)
  }
  const index = readFileSync(join(dir, 'index.d.ts'), 'utf8')
  for (const [tag, cls] of [['passkey-input', 'PasskeyInputElement'], ['passkey-signin-button', 'PasskeySigninButtonElement'], ['passkey-enroll', 'PasskeyEnrollElement']]) {
    t.match(index, new RegExp(`interface HTMLElementTagNameMap \\{\\s*'${tag}': ${cls};`), `<${tag}> in HTMLElementTagNameMap`)
  }
  for (const [type, cls] of Object.entries(EVENTS)) {
    t.match(index, new RegExp(`interface GlobalEventHandlersEventMap \\{[^}]*'${type}': ${cls};`), `${type} in GlobalEventHandlersEventMap`)
    t.match(index, new RegExp(`declare class ${cls} extends Event`), `${cls} is declared`)
  }
  t.notMatch(index, /litPropertyMetadata/, 'Lit\'s run-time globals are not declared')
})

t.test('package.json: built, no dependencies, every export and its types exist', async t => {
  t.equal(pkg.name, 'passkey-elements')
  t.equal(pkg.dependencies, undefined, 'no dependencies')
  t.equal(pkg.peerDependencies, undefined, 'no peer dependencies')
  t.equal(pkg.customElements, 'custom-elements.json')
  t.same(pkg.sideEffects, ['./dist/*.js'], 'the self-defining modules have side effects')
  const exportsMap = pkg.exports as Record<string, string | { types: string, default: string }>
  t.same(Object.keys(exportsMap).sort(), ['.', './assets.json', './custom-elements.json', './messages', './package.json', './passkey-elements.css', ...ELEMENTS.map(n => `./${n}.js`),
    ...Object.keys(FRAMEWORKS).map(n => `./${n}`)].sort())
  for (const [subpath, target] of Object.entries(exportsMap)) {
    if (typeof target === 'string') {
      t.ok(existsSync(join(PACKAGE_DIR, target)), `${subpath} → ${target} exists`)
      continue
    }
    if (Object.keys(FRAMEWORKS).includes(subpath.slice(2))) {
      t.same(target, { types: `./dist/types/${subpath.slice(2)}.d.ts` }, `${subpath}: types only`)
      t.ok(existsSync(join(PACKAGE_DIR, target.types)), `${subpath}: ${target.types} exists`)
      continue
    }
    t.same(Object.keys(target), ['types', 'default'], `${subpath}: types first`)
    t.match(target.types, /^\.\/dist\/types\/[\w-]+\.d\.ts$/, `${subpath}: types in dist/types`)
    t.ok(existsSync(join(PACKAGE_DIR, target.types)), `${subpath}: ${target.types} exists`)
    t.ok(existsSync(join(PACKAGE_DIR, target.default)), `${subpath}: ${target.default} exists`)
  }
})

t.test('custom-elements.json points at what ships', async t => {
  const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'custom-elements.json'), 'utf8')) as { modules: Array<{ path: string, declarations: Array<{ tagName?: string }> }> }
  const text = JSON.stringify(manifest)
  t.notMatch(text, /"(path|module)":"\/?src\//, 'no src/ paths')
  for (const mod of manifest.modules) t.ok(existsSync(join(PACKAGE_DIR, mod.path)), `${mod.path} exists`)
  for (const name of ELEMENTS) {
    const mod = manifest.modules.find(m => m.declarations.some(d => d.tagName === name))
    t.equal(mod?.path, `dist/${name}.js`, `<${name}> is in dist/${name}.js`)
  }
})

t.test('npm pack ships the build, the manifests and the types, and no sources', async t => {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '-w', 'passkey-elements'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 })
  const [packed] = JSON.parse(stdout) as Array<{ name: string, files: Array<{ path: string }> }>
  t.equal(packed?.name, 'passkey-elements')
  const paths = new Set(packed?.files.map(f => f.path))
  for (const file of ['package.json', 'custom-elements.json', 'dist/assets.json', 'dist/index.js', 'dist/types/index.d.ts', 'dist/THIRD-PARTY-LICENSES.md',
    'dist/passkey-elements.css', 'dist/messages/index.js', 'dist/types/messages.d.ts', 'dist/types/react.d.ts', 'dist/types/vue.d.ts',
    ...ELEMENTS.flatMap(n => [`dist/${n}.js`, `dist/types/${n}.d.ts`])]) {
    t.ok(paths.has(file), `ships ${file}`)
  }
  for (const file of Object.keys(assets.files)) {
    for (const suffix of ['', '.br', '.gz']) t.ok(paths.has(`dist/${file}${suffix}`), `ships dist/${file}${suffix}`)
  }
  const unexpected = [...paths].filter(p => !/^(dist\/|custom-elements\.json$|package\.json$|README\.md$|LICENSE$)/.test(p))
  t.same(unexpected, [], 'nothing but dist/, custom-elements.json, package.json, README and LICENSE')
  t.same([...paths].filter(p => p.startsWith('src/') || p.endsWith('.ts') && !p.endsWith('.d.ts')), [], 'no sources')
  t.same([...paths].filter(p => p.startsWith('dist/.')), [], 'no build internals (dist/.vite)')
})

/** A consumer project outside the repository with `node_modules/passkey-elements` → components/. */
async function consumer (t: Test, files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'passkey-elements-consumer-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await mkdir(join(dir, 'node_modules'))
  await symlink(PACKAGE_DIR, join(dir, 'node_modules', 'passkey-elements'), 'dir')
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text)
  return dir
}

const RESOLUTIONS = {
  nodenext: ['--module', 'nodenext', '--moduleResolution', 'nodenext'],
  bundler: ['--module', 'esnext', '--moduleResolution', 'bundler']
}

async function tsc (dir: string, resolution: keyof typeof RESOLUTIONS, file: string): Promise<{ code: number, output: string }> {
  const args = [TSC, '--strict', '--noEmit', '--skipLibCheck', 'false', '--target', 'es2022', '--lib', 'es2022,dom', ...RESOLUTIONS[resolution], file]
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: dir })
    return { code: 0, output: stdout + stderr }
  } catch (error) {
    const failed = error as { code?: number, stdout?: string, stderr?: string }
    return { code: typeof failed.code === 'number' ? failed.code : 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` }
  }
}

t.test('a TypeScript consumer compiles with --strict under nodenext and bundler resolution', async t => {
  const dir = await consumer(t, {
    'consumer.ts': `import 'passkey-elements'
import { PASSKEY_LANGUAGES, PasskeyErrorEvent, PasskeyInputElement, setPasskeyMessages, type PasskeyErrorCode, type PasskeyMessageKey } from 'passkey-elements'
import { englishMessages, negotiatePasskeyLanguage, passkeyMessages, type PasskeyLanguage, type PasskeyMessages } from 'passkey-elements/messages'
import { PasskeyEnrollElement } from 'passkey-elements/passkey-enroll.js'
import type { PasskeySigninButtonElement } from 'passkey-elements/passkey-signin-button.js'
import 'passkey-elements/passkey-input.js'

const b = document.createElement('passkey-signin-button')
b.addEventListener('passkey-signin', e => e.detail.token)
const button: PasskeySigninButtonElement = b
const token: Promise<void> = button.signIn()
const input: PasskeyInputElement = document.createElement('passkey-input')
input.rearm()
const enroll: PasskeyEnrollElement = document.createElement('passkey-enroll')
enroll.tokenUrl = '/passkeys/enrollment-token'
enroll.addEventListener('passkey-enrolled', e => { const id: string | undefined = e.detail.credentialId; return id })
document.addEventListener('passkey-error', e => {
  const code: PasskeyErrorCode = e.detail.code
  if (e instanceof PasskeyErrorEvent) console.log(code, e.detail.message)
})
setPasskeyMessages('de', { signInLabel: 'Mit Ihrem Passkey fortfahren' })
b.messages = { signInCancelled: 'Cancelled.' }
const lang: PasskeyLanguage = negotiatePasskeyLanguage('de-CH, en;q=0.5')
const words: PasskeyMessages = passkeyMessages[lang]
const key: PasskeyMessageKey = 'enrollAdded'
console.log(words[key], englishMessages.signInLabel, PASSKEY_LANGUAGES.length)
export { token }
`,
    'wrong.ts': `import { setPasskeyMessages } from 'passkey-elements'
const b = document.createElement('passkey-signin-button')
b.addEventListener('passkey-signin', e => e.detail.nope)
const n: number = document.createElement('passkey-input').name
setPasskeyMessages('de', { signInLable: 'typo' })
export { n }
`
  })
  for (const resolution of ['nodenext', 'bundler'] as const) {
    const ok = await tsc(dir, resolution, 'consumer.ts')
    t.equal(ok.code, 0, `${resolution}: compiles\n${ok.output}`)
    // The types are really used: mistakes are caught.
    const wrong = await tsc(dir, resolution, 'wrong.ts')
    t.not(wrong.code, 0, `${resolution}: a wrong use does not compile`)
    t.match(wrong.output, /Property 'nope' does not exist/, `${resolution}: the event detail is typed`)
    t.match(wrong.output, /Type 'string' is not assignable to type 'number'/, `${resolution}: the tag map is typed`)
    t.match(wrong.output, /'signInLable' does not exist in type 'Partial<PasskeyMessages>'/, `${resolution}: message keys are typed`)
  }
})
