// What the published package ships besides Vite's content-hashed modules, written once they are on disk:
//
//   - dist/index.js and dist/<element>.js: stable, unhashed entry modules for bundler users, re-exporting
//     the hashed modules (importing one defines its elements);
//   - <file>.br (brotli, quality 11, text mode) and <file>.gz (gzip, level 9) next to every .js and
//     .js.map file, for servers that send precompressed files;
//   - dist/assets.json: per element, its entry module and every chunk it imports (transitively, what a
//     page preloads); per language but English, the chunk the elements load when a page is in that language
//     (not preloaded: a server may preload the page's one); and per servable file (the hashed modules and
//     their source maps) its content type, size, SRI integrity, precompressed sizes and source map. Servers
//     read this file, not Vite's manifest;
//   - dist/passkey-elements.css: hides the button elements until they are defined (`:not(:defined)`);
//   - dist/messages/*.js: the catalogues and the language helpers as plain modules without DOM or Lit
//     (`passkey-elements/messages`), for servers that render the same words;
//   - dist/types/*.d.ts: the declarations of `passkey-elements`, of each element subpath and of
//     `passkey-elements/messages`, with Lit's types inlined (Lit is bundled into the JavaScript, so it is no
//     dependency of the package), and the framework typings (types/*.d.ts: passkey-elements/react, /preact,
//     /solid, /svelte, /vue).
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import { rollup } from 'rollup'
import { dts } from 'rollup-plugin-dts'
import ts from 'typescript'
import type { Plugin } from 'vite'

export const ASSETS_FILE = 'assets.json'
export const TYPES_DIR = 'types'
export const MESSAGES_DIR = 'messages'
export const STYLESHEET = 'passkey-elements.css'
const JS_TYPE = 'text/javascript; charset=utf-8'
const MAP_TYPE = 'application/json; charset=utf-8'
const FLAT_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const COMPRESSIBLE = /\.js(\.map)?$/

export interface AssetFile {
  type: string
  bytes: number
  /** SRI hash of the uncompressed file. */
  integrity: string
  /** Bytes of `<file>.br`. */
  br: number
  /** Bytes of `<file>.gz`. */
  gzip: number
  /** The file's source map, when it has one. */
  map?: string
}

export interface Assets {
  version: 1
  elements: Record<string, { entry: string, imports: string[] }>
  /** Language tag → its lazily loaded chunk (English is in the runtime). */
  languages: Record<string, string>
  files: Record<string, AssetFile>
}

export interface PackageFilesOptions {
  /** Element names, each a build entry `src/<name>.ts` and a stable module `dist/<name>.js`. */
  elements: readonly string[]
  /** The package directory (components/). */
  root: string
  /** Source modules that are a language's own chunk (their first group is the language tag). */
  languageModule: RegExp
}

/** The subset of Rollup's / Rolldown's output chunk this plugin reads. */
interface Chunk {
  type: 'chunk'
  fileName: string
  name: string
  isEntry: boolean
  imports: string[]
  dynamicImports: string[]
  exports: string[]
  facadeModuleId: string | null
}

const brotli = promisify(brotliCompress)
const gz = promisify(gzip)

export function packageFiles (options: PackageFilesOptions): Plugin {
  return {
    name: 'passkey-elements-package-files',
    apply: 'build',
    async writeBundle (output, bundle) {
      if (output.dir == null) throw new Error('components: the build needs an output directory')
      const dir = resolve(output.dir)
      const chunks = Object.values(bundle).filter((item): item is typeof item & Chunk => item.type === 'chunk')
      const languages = languageChunks(chunks, options.languageModule)
      const elements = elementGraph(chunks, options.elements, new Set(Object.values(languages)))
      await writeStableEntries(dir, elements, chunks)
      await compressAll(dir)
      await writeFile(join(dir, ASSETS_FILE), JSON.stringify(await describeAssets(dir, elements, languages, chunks), null, 2) + '\n')
      await writeMessages(options.root, dir)
      // The stylesheet for the time before the elements are defined (not a module: no hash, no assets.json entry).
      await copyFile(join(options.root, 'src', STYLESHEET), join(dir, STYLESHEET))
      await writeTypes(options.root, dir, options.elements)
    }
  }
}

/** Language tag → the chunk of that language's catalogue. */
export function languageChunks (chunks: readonly Chunk[], languageModule: RegExp): Assets['languages'] {
  const languages: Assets['languages'] = {}
  for (const chunk of chunks) {
    const tag = languageModule.exec(chunk.facadeModuleId ?? '')?.[1]
    if (tag == null) continue
    if (chunk.isEntry || languages[tag] != null) throw new Error(`components: ${chunk.fileName} is not the one lazy chunk of language ${tag}`)
    languages[tag] = chunk.fileName
  }
  return Object.fromEntries(Object.entries(languages).sort(([a], [b]) => a < b ? -1 : 1))
}

/**
 * Per element: its hashed entry file and every chunk it imports, transitively (never the entry itself).
 * Language chunks (`lazy`) are left out: a page loads only its own language's, when it needs it.
 */
export function elementGraph (chunks: readonly Chunk[], names: readonly string[], lazy: ReadonlySet<string> = new Set()): Assets['elements'] {
  const byFile = new Map(chunks.map(chunk => [chunk.fileName, chunk]))
  const elements: Assets['elements'] = {}
  for (const name of names) {
    const entries = chunks.filter(chunk => chunk.isEntry && chunk.name === name)
    if (entries.length !== 1) throw new Error(`components: expected one entry chunk for <${name}>, found ${entries.length}`)
    const entry = entries[0]!
    const imports: string[] = []
    const visit = (chunk: Chunk): void => {
      // Dynamic imports too (but the languages): a page preloads everything, so nothing is discovered late.
      for (const file of [...chunk.imports, ...chunk.dynamicImports.filter(f => !lazy.has(f))]) {
        if (lazy.has(file)) throw new Error(`components: ${chunk.fileName} imports the language chunk ${file} statically`)
        if (file === entry.fileName || imports.includes(file)) continue
        const imported = byFile.get(file)
        if (imported == null) throw new Error(`components: ${chunk.fileName} imports ${file}, which is not in the build`)
        imports.push(file)
        visit(imported)
      }
    }
    visit(entry)
    elements[name] = { entry: entry.fileName, imports }
  }
  for (const chunk of chunks) {
    if (!FLAT_FILE.test(chunk.fileName)) throw new Error(`components: ${chunk.fileName} is not a flat file name`)
  }
  return elements
}

/** dist/<element>.js re-exporting the hashed entry, and dist/index.js re-exporting all of them. */
async function writeStableEntries (dir: string, elements: Assets['elements'], chunks: readonly Chunk[]): Promise<void> {
  const exported = new Set<string>()
  const index: string[] = []
  for (const [name, { entry }] of Object.entries(elements)) {
    if (chunks.some(chunk => chunk.fileName === `${name}.js` || chunk.fileName === 'index.js')) throw new Error(`components: a build file is named like a stable entry`)
    const names = [...chunks.find(chunk => chunk.fileName === entry)!.exports].sort()
    if (names.length === 0) throw new Error(`components: ${entry} exports nothing`)
    await writeFile(join(dir, `${name}.js`),
      `// passkey-elements/${name}.js: defines <${name}> (stable name for bundlers; the file is ${entry}).\n` +
      `export { ${names.join(', ')} } from './${entry}';\n`)
    const fresh = names.filter(n => !exported.has(n))
    fresh.forEach(n => exported.add(n))
    if (fresh.length > 0) index.push(`export { ${fresh.join(', ')} } from './${entry}';`)
  }
  await writeFile(join(dir, 'index.js'),
    `// passkey-elements: defines ${Object.keys(elements).map(n => `<${n}>`).join(', ')} and exports their classes and events.\n` +
    index.join('\n') + '\n')
}

/** `<file>.br` and `<file>.gz` next to every .js and .js.map file. */
async function compressAll (dir: string): Promise<void> {
  const files = (await readdir(dir)).filter(file => COMPRESSIBLE.test(file))
  await Promise.all(files.map(async file => {
    const bytes = await readFile(join(dir, file))
    const [br, gzipped] = await Promise.all([
      brotli(bytes, {
        params: {
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length
        }
      }),
      gz(bytes, { level: constants.Z_BEST_COMPRESSION })
    ])
    await Promise.all([writeFile(join(dir, `${file}.br`), br), writeFile(join(dir, `${file}.gz`), gzipped)])
  }))
}

/** assets.json: the elements' graph, the languages and every hashed module and source map, as the build wrote them. */
async function describeAssets (dir: string, elements: Assets['elements'], languages: Assets['languages'], chunks: readonly Chunk[]): Promise<Assets> {
  const files: Assets['files'] = {}
  const describe = async (file: string, type: string): Promise<AssetFile> => {
    const bytes = await readFile(join(dir, file))
    const size = async (suffix: string): Promise<number> => (await readFile(join(dir, file + suffix))).length
    return {
      type,
      bytes: bytes.length,
      integrity: 'sha384-' + createHash('sha384').update(bytes).digest('base64'),
      br: await size('.br'),
      gzip: await size('.gz')
    }
  }
  for (const { fileName } of [...chunks].sort((a, b) => a.fileName < b.fileName ? -1 : 1)) {
    const map = `${fileName}.map`
    const hasMap = existsSync(join(dir, map))
    files[fileName] = { ...await describe(fileName, JS_TYPE), ...(hasMap ? { map } : {}) }
    if (hasMap) files[map] = await describe(map, MAP_TYPE)
  }
  return { version: 1, elements, languages, files }
}

/**
 * dist/messages/: src/messages/*.ts as plain ES modules (TypeScript's transpilation, file by file; they
 * import only each other), for `passkey-elements/messages`.
 */
async function writeMessages (root: string, dir: string): Promise<void> {
  const source = join(root, 'src', 'messages')
  const outDir = join(dir, MESSAGES_DIR)
  await rm(outDir, { recursive: true, force: true })
  await mkdir(outDir, { recursive: true })
  for (const file of (await readdir(source)).filter(f => f.endsWith('.ts')).sort()) {
    const text = await readFile(join(source, file), 'utf8')
    if (/^import (?!type )[^\n]*from '(?!\.\/)/m.test(text)) throw new Error(`components: src/messages/${file} imports outside src/messages/`)
    const { outputText, diagnostics = [] } = ts.transpileModule(text, {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false, removeComments: false }
    })
    if (diagnostics.length > 0) throw new Error(`components: src/messages/${file}\n${formatDiagnostics(diagnostics)}`)
    await writeFile(join(outDir, file.replace(/\.ts$/, '.js')), outputText)
  }
}

/**
 * dist/types: TypeScript's declarations of src/index.ts and of each element, bundled by rollup-plugin-dts
 * with `respectExternal`, so Lit's types are inlined and nothing imports `lit` or `@authsignal/browser`.
 */
async function writeTypes (root: string, dir: string, names: readonly string[]): Promise<void> {
  // Inside the package, so the declarations' imports of `lit` resolve; removed once bundled.
  const declarations = join(dir, '.declarations')
  await rm(declarations, { recursive: true, force: true })
  try {
    const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {
      noEmit: false,
      declaration: true,
      emitDeclarationOnly: true,
      declarationMap: false,
      rootDir: join(root, 'src'),
      outDir: declarations
    }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: diagnostic => { throw new Error(formatDiagnostics([diagnostic])) } })
    if (config == null) throw new Error('components: tsconfig.json is unreadable')
    const program = ts.createProgram({ rootNames: config.fileNames, options: config.options })
    const result = program.emit()
    const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics]
    if (diagnostics.length > 0 || result.emitSkipped) throw new Error(`components: declarations failed\n${formatDiagnostics(diagnostics)}`)

    const outDir = join(dir, TYPES_DIR)
    await rm(outDir, { recursive: true, force: true })
    await mkdir(outDir, { recursive: true })
    for (const [input, output] of [['index.d.ts', 'index.d.ts'], [join(MESSAGES_DIR, 'index.d.ts'), 'messages.d.ts']]) {
      const bundle = await rollup({
        input: join(declarations, input),
        plugins: [dts({ respectExternal: true, compilerOptions: { ...config.options, rootDir: declarations } })],
        onwarn (warning) { throw new Error(`components: type bundling: ${warning.message}`) }
      })
      try {
        await bundle.write({ file: join(outDir, output), format: 'es' })
      } finally {
        await bundle.close()
      }
    }
    const index = join(outDir, 'index.d.ts')
    await writeFile(index, ownGlobalsOnly(await readFile(index, 'utf8')))
    await copyFrameworkTypes(root, outDir)
    // One set of declarations: each subpath re-exports its names from index.d.ts (two copies of a class,
    // or of the tag map's entries, would conflict in a program importing both).
    const checker = program.getTypeChecker()
    for (const name of names) {
      const source = program.getSourceFile(join(root, 'src', `${name}.ts`))
      const symbol = source == null ? undefined : checker.getSymbolAtLocation(source)
      if (symbol == null) throw new Error(`components: no module src/${name}.ts`)
      const exported = checker.getExportsOfModule(symbol).map(s => s.name).sort()
      await writeFile(join(outDir, `${name}.d.ts`),
        `// passkey-elements/${name}.js\nexport { ${exported.join(', ')} } from './index.js';\n`)
    }
  } finally {
    await rm(declarations, { recursive: true, force: true })
  }
}

/**
 * types/<framework>.d.ts → dist/types/: the JSX and template typings for React, Preact, Solid, Svelte and
 * Vue (`passkey-elements/react`…). They are declarations of other packages' modules (augmentations), so they
 * are written as such; each may import only its framework and `./index.js` (the package's own types).
 */
async function copyFrameworkTypes (root: string, outDir: string): Promise<void> {
  const source = join(root, 'types')
  for (const file of (await readdir(source)).filter(f => f.endsWith('.d.ts')).sort()) {
    const text = await readFile(join(source, file), 'utf8')
    const framework = { 'react.d.ts': 'react', 'preact.d.ts': 'preact', 'solid.d.ts': 'solid-js', 'svelte.d.ts': 'svelte/elements', 'vue.d.ts': 'vue' }[file]
    if (framework == null) throw new Error(`components: types/${file} is no framework's typings`)
    const imports = [...text.matchAll(/^import type [^\n]* from '([^']+)'$/gm)].map(m => m[1])
    if (imports.some(specifier => specifier !== framework && specifier !== './index.js') || /^import (?!type )/m.test(text)) {
      throw new Error(`components: types/${file} may import types from '${framework}' and './index.js' only`)
    }
    await writeFile(join(outDir, file), text)
  }
}

/**
 * Drops the global `litPropertyMetadata` declaration inlined with Lit's types: it describes Lit's run time,
 * not this package's API, and a program that uses another Lit version beside these elements would see two
 * different declarations of that variable (an error). What stays global: the package's tags in
 * `HTMLElementTagNameMap`, its events in `GlobalEventHandlersEventMap`, and Lit's `Symbol.metadata`
 * (`ReactiveElement` declares a `[Symbol.metadata]` member, which needs it below lib esnext).
 */
export function ownGlobalsOnly (declarations: string): string {
  const OWN = /^declare global \{\n\s+interface (HTMLElementTagNameMap|GlobalEventHandlersEventMap|SymbolConstructor) \{/
  // A top-level block runs from `declare global {` to the next line that is a lone `}`.
  const kept = declarations.replace(/^declare global \{\n(?:(?!\}\n)[^\n]*\n)*?\}\n/gm, block => OWN.test(block) ? block : '')
  const blocks = kept.match(/declare global/g)?.length ?? 0
  const own = kept.match(new RegExp(OWN.source, 'gm'))?.length ?? 0
  if (blocks !== own || !kept.includes('interface HTMLElementTagNameMap') || !kept.includes('interface GlobalEventHandlersEventMap')) {
    throw new Error('components: the bundled declarations\' global blocks are not the expected ones; check build/package-files.ts')
  }
  return kept
}

function formatDiagnostics (diagnostics: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: name => name,
    getCurrentDirectory: () => process.cwd(),
    getNewLine: () => '\n'
  })
}
