// How both plugins serve the passkey elements built by `npm run build` (Vite, components/dist):
// `registerElements()` serves exactly the files the build's manifest names, content-hashed and therefore
// cached as immutable; `elementScripts()` tells a page which module scripts to include and which chunks
// to preload. The manifest is read once per process (and dist directory); a missing or incomplete build
// fails at boot with a coded error that says to run the build.
import createError from '@fastify/error'
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const ELEMENT_NAMES = ['passkey-input', 'passkey-signin-button', 'passkey-enroll'] as const
export type ElementName = typeof ELEMENT_NAMES[number]

/** components/dist of this repository. */
export const DEFAULT_ELEMENTS_DIST = resolve(import.meta.dirname, '..', '..', 'components', 'dist')
export const DEFAULT_ELEMENTS_PREFIX = '/passkey-elements/'
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable'
const MANIFEST_PATH = join('.vite', 'manifest.json')

export const FST_PASSKEY_ELEMENTS_NOT_BUILT = createError(
  'FST_PASSKEY_ELEMENTS_NOT_BUILT',
  'The passkey elements are not built (%s is missing): run `npm run build`',
  500
)
export const FST_PASSKEY_ELEMENTS_BAD_BUILD = createError(
  'FST_PASSKEY_ELEMENTS_BAD_BUILD',
  'The passkey elements build in %s is unusable (%s): run `npm run build`',
  500
)
export const FST_PASSKEY_ELEMENTS_INVALID_OPTION = createError(
  'FST_PASSKEY_ELEMENTS_INVALID_OPTION',
  '"%s" option %s',
  500,
  TypeError
)

export interface ElementsOptions {
  /** URL path the files are served under, with leading and trailing slash, e.g. `/passkey-elements/`. */
  prefix: string
  /** Build output directory. @default components/dist of this repository */
  distDir?: string
}

export interface ElementScripts {
  /** Entry modules, for `<script type="module" src="…">`. */
  scripts: string[]
  /** Chunks the entries import, for `<link rel="modulepreload" href="…">`. */
  preloads: string[]
}

interface ServedFile { body: Buffer, contentType: string }
interface ElementsBuild {
  dir: string
  /** Every servable file by name: entries, chunks and their source maps when present. */
  files: Map<string, ServedFile>
  /** Per element: its entry file and the chunk files it imports, transitively. */
  entries: Map<ElementName, { file: string, imports: string[] }>
}

interface ManifestChunk { file: string, name?: string, src?: string, isEntry?: boolean, imports?: string[] }

const builds = new Map<string, ElementsBuild>()

/**
 * Serves the built elements under `prefix` (GET and HEAD; only files of the build, nothing listed).
 * Throws a coded error right away when the build output is missing or incomplete.
 */
export function registerElements (fastify: FastifyInstance, options: ElementsOptions): void {
  const prefix = checkPrefix(options?.prefix)
  const build = loadElementsBuild(options.distDir)
  void fastify.register(elementFiles, { prefix: prefix.slice(0, -1), build })
}

/**
 * The URL paths a page needs for these elements: their entry modules and the chunks to preload.
 * Reads the build's manifest (once per process and dist directory).
 */
export function elementScripts (prefix: string, names: readonly ElementName[], options: { distDir?: string } = {}): ElementScripts {
  const base = checkPrefix(prefix)
  if (!Array.isArray(names)) throw new FST_PASSKEY_ELEMENTS_INVALID_OPTION('names', 'must be an array of element names')
  const build = loadElementsBuild(options.distDir)
  const scripts: string[] = []
  const preloads: string[] = []
  for (const name of names) {
    const entry = build.entries.get(name)
    if (entry == null) throw new FST_PASSKEY_ELEMENTS_INVALID_OPTION('names', `has an unknown element ${JSON.stringify(name)} (known: ${ELEMENT_NAMES.join(', ')})`)
    if (!scripts.includes(entry.file)) scripts.push(entry.file)
    for (const chunk of entry.imports) if (!preloads.includes(chunk)) preloads.push(chunk)
  }
  return {
    scripts: scripts.map(file => base + file),
    preloads: preloads.filter(file => !scripts.includes(file)).map(file => base + file)
  }
}

/** Reads and checks the build once per directory; later calls answer from memory. */
export function loadElementsBuild (distDir: string = DEFAULT_ELEMENTS_DIST): ElementsBuild {
  if (typeof distDir !== 'string' || distDir === '') throw new FST_PASSKEY_ELEMENTS_INVALID_OPTION('distDir', 'must be a directory path')
  const dir = resolve(distDir)
  const cached = builds.get(dir)
  if (cached != null) return cached
  const manifestFile = join(dir, MANIFEST_PATH)
  if (!existsSync(manifestFile)) throw new FST_PASSKEY_ELEMENTS_NOT_BUILT(manifestFile)
  let manifest: Record<string, ManifestChunk>
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'))
  } catch (error) {
    throw new FST_PASSKEY_ELEMENTS_BAD_BUILD(dir, `manifest is not JSON: ${(error as Error).message}`)
  }
  if (typeof manifest !== 'object' || manifest == null) throw new FST_PASSKEY_ELEMENTS_BAD_BUILD(dir, 'manifest is not an object')

  const files = new Map<string, ServedFile>()
  const addFile = (file: string): void => {
    if (files.has(file)) return
    // The manifest names flat, hashed files; anything else is not ours to serve.
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*-[A-Za-z0-9_-]{6,}\.js$/.test(file)) throw new FST_PASSKEY_ELEMENTS_BAD_BUILD(dir, `unexpected file name ${JSON.stringify(file)}`)
    const path = join(dir, file)
    if (!existsSync(path)) throw new FST_PASSKEY_ELEMENTS_BAD_BUILD(dir, `${file} is missing`)
    files.set(file, { body: readFileSync(path), contentType: 'text/javascript; charset=utf-8' })
    if (existsSync(path + '.map')) files.set(file + '.map', { body: readFileSync(path + '.map'), contentType: 'application/json; charset=utf-8' })
  }
  const importsOf = (key: string, seen = new Set<string>()): string[] => {
    for (const imported of manifest[key]?.imports ?? []) {
      const chunk = manifest[imported]
      if (chunk == null) throw new FST_PASSKEY_ELEMENTS_BAD_BUILD(dir, `manifest lacks ${imported}`)
      if (seen.has(chunk.file)) continue
      seen.add(chunk.file)
      importsOf(imported, seen)
    }
    return [...seen]
  }

  const entries = new Map<ElementName, { file: string, imports: string[] }>()
  for (const name of ELEMENT_NAMES) {
    const key = Object.keys(manifest).find(k => manifest[k].isEntry === true && (manifest[k].name === name || manifest[k].src === `src/${name}.ts`))
    if (key == null) throw new FST_PASSKEY_ELEMENTS_BAD_BUILD(dir, `no entry for <${name}>`)
    const imports = importsOf(key)
    addFile(manifest[key].file)
    imports.forEach(addFile)
    entries.set(name, { file: manifest[key].file, imports })
  }
  const build = { dir, files, entries }
  builds.set(dir, build)
  return build
}

const elementFiles: FastifyPluginAsync<{ build: ElementsBuild }> = async (fastify, { build }) => {
  fastify.get<{ Params: { file: string } }>('/:file', {
    schema: {
      params: {
        type: 'object',
        required: ['file'],
        additionalProperties: false,
        // Any other name, the directory itself included, is a plain 404: nothing is listed.
        properties: { file: { type: 'string', maxLength: 256 } }
      }
    }
  }, async (request, reply) => {
    const served = build.files.get(request.params.file)
    if (served == null) {
      reply.callNotFound()
      return reply
    }
    // Every served name carries a content hash, so it never changes: cache for a year, never revalidate.
    return await reply
      .header('cache-control', IMMUTABLE_CACHE_CONTROL)
      .header('x-content-type-options', 'nosniff')
      .type(served.contentType)
      .send(served.body)
  })
}

function checkPrefix (prefix: unknown): string {
  if (typeof prefix !== 'string' || !/^\/([A-Za-z0-9._~-]+\/)*$/.test(prefix)) {
    throw new FST_PASSKEY_ELEMENTS_INVALID_OPTION('prefix', 'must be a URL path with a leading and a trailing slash, e.g. "/passkey-elements/"')
  }
  return prefix
}
