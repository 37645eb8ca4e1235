// How both plugins serve the passkey elements: from the installed `passkey-elements` package, which ships
// them built (content-hashed modules, precompressed .br/.gz copies, and `assets.json` describing them).
// Files are read once per process; answers are negotiated (brotli, gzip, identity), carry a strong ETag per
// encoding, revalidate with 304 and are cached as immutable (every name carries a content hash). Pages get
// their tags from `elementTags()`: entry modules, the chunks to preload, and SRI integrity for both, so the
// files may also come from a CDN or the host's own static setup (`elements.baseUrl`).
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import createError, { type FastifyErrorConstructor } from '@fastify/error'

export const ELEMENT_NAMES = ['passkey-input', 'passkey-signin-button', 'passkey-enroll'] as const
export type ElementName = typeof ELEMENT_NAMES[number]

export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable'

export const FST_PASSKEY_ELEMENTS_MISSING: FastifyErrorConstructor<{ code: string }, [string, string]> = createError<[string, string]>(
  'FST_PASSKEY_ELEMENTS_MISSING',
  'The passkey elements could not be loaded from %s (%s): reinstall the passkey-elements package',
  500
)

/** `assets.json` of the passkey-elements package (version 1). */
export interface ElementsAssets {
  version: 1
  elements: Record<ElementName, { entry: string, imports: string[] }>
  files: Record<string, { type: string, bytes: number, integrity: string, br: number, gzip: number, map?: string }>
}

interface Representation { body: Buffer, etag: string }
interface ServedFile { type: string, identity: Representation, br: Representation, gzip: Representation }

export interface ElementsBuild {
  /** The package's dist folder. */
  dir: string
  assets: ElementsAssets
  files: Map<string, ServedFile>
}

export interface ElementTags {
  /** Entry modules: `<script type="module" src integrity crossorigin>`. */
  scripts: Array<{ src: string, integrity: string }>
  /** Chunks they import: `<link rel="modulepreload" href integrity>`, so nothing is discovered late. */
  preloads: Array<{ href: string, integrity: string }>
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*-[A-Za-z0-9_-]{6,}\.js(\.map)?$/
let loaded: ElementsBuild | undefined

/** The installed package's build, read and checked once per process. */
export function loadElements (): ElementsBuild {
  if (loaded != null) return loaded
  let assetsFile: string
  try {
    assetsFile = createRequire(import.meta.url).resolve('passkey-elements/assets.json')
  } catch (error) {
    throw new FST_PASSKEY_ELEMENTS_MISSING('passkey-elements', (error as Error).message.split('\n')[0] ?? 'not found')
  }
  const dir = dirname(assetsFile)
  const bad = (problem: string): Error => new FST_PASSKEY_ELEMENTS_MISSING(dir, problem)
  let assets: ElementsAssets
  try {
    assets = JSON.parse(readFileSync(assetsFile, 'utf8')) as ElementsAssets
  } catch (error) {
    throw bad(`assets.json is unreadable: ${(error as Error).message}`)
  }
  if (assets?.version !== 1 || typeof assets.files !== 'object' || typeof assets.elements !== 'object') throw bad('assets.json is not version 1')
  const files = new Map<string, ServedFile>()
  for (const [name, info] of Object.entries(assets.files)) {
    if (!FILE_NAME.test(name) || typeof info?.integrity !== 'string') throw bad(`unexpected file ${JSON.stringify(name)}`)
    const read = (file: string): Buffer => {
      const path = join(dir, file)
      if (!existsSync(path)) throw bad(`${file} is missing`)
      return readFileSync(path)
    }
    // The ETag is the content hash of what is sent: one per encoding, as RFC 9110 §8.8.3 wants of strong tags.
    const tag = info.integrity.replace(/^sha384-/, '').replace(/[+/=]/g, c => (c === '+' ? '-' : c === '/' ? '_' : '')).slice(0, 32)
    files.set(name, {
      type: info.type,
      identity: { body: read(name), etag: `"${tag}"` },
      br: { body: read(`${name}.br`), etag: `"${tag}-br"` },
      gzip: { body: read(`${name}.gz`), etag: `"${tag}-gz"` }
    })
  }
  for (const name of ELEMENT_NAMES) {
    const element = assets.elements[name]
    if (element == null || !files.has(element.entry) || !element.imports.every(file => files.has(file))) throw bad(`no complete entry for <${name}>`)
  }
  loaded = { dir, assets, files }
  return loaded
}

/** The tags a page needs for these elements, with URLs under `base` (a path or an absolute URL ending in `/`). */
export function elementTags (base: string, names: readonly ElementName[]): ElementTags {
  const { assets } = loadElements()
  const scripts: string[] = []
  const preloads: string[] = []
  for (const name of names) {
    const element = assets.elements[name]
    if (element == null) throw new TypeError(`unknown element ${JSON.stringify(name)} (known: ${ELEMENT_NAMES.join(', ')})`)
    if (!scripts.includes(element.entry)) scripts.push(element.entry)
    for (const chunk of element.imports) if (!preloads.includes(chunk)) preloads.push(chunk)
  }
  const integrity = (file: string): string => assets.files[file]?.integrity ?? ''
  return {
    scripts: scripts.map(file => ({ src: base + file, integrity: integrity(file) })),
    preloads: preloads.filter(file => !scripts.includes(file)).map(file => ({ href: base + file, integrity: integrity(file) }))
  }
}

const escapeAttribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/** The same tags as HTML, for a page without a template engine (preloads first). */
export function elementTagsHtml (tags: ElementTags): string {
  return [
    ...tags.preloads.map(p => `<link rel="modulepreload" href="${escapeAttribute(p.href)}" integrity="${escapeAttribute(p.integrity)}" crossorigin="anonymous">`),
    ...tags.scripts.map(s => `<script type="module" src="${escapeAttribute(s.src)}" integrity="${escapeAttribute(s.integrity)}" crossorigin="anonymous"></script>`)
  ].join('\n')
}

/** The coding to send: brotli when accepted, else gzip, else none (RFC 9110 §12.5.3; `q=0` refuses). */
export function negotiateEncoding (header: string | undefined): 'br' | 'gzip' | 'identity' {
  if (header == null || header === '') return 'identity'
  const accepted = new Map<string, number>()
  for (const part of header.toLowerCase().split(',')) {
    const [coding, ...params] = part.trim().split(';')
    const q = params.map(p => p.trim()).find(p => p.startsWith('q='))
    accepted.set((coding ?? '').trim(), q == null ? 1 : Number(q.slice(2)) || 0)
  }
  const quality = (coding: string): number => accepted.get(coding) ?? accepted.get('*') ?? 0
  if (quality('br') > 0) return 'br'
  if (quality('gzip') > 0) return 'gzip'
  return 'identity'
}

const matches = (ifNoneMatch: string | undefined, etag: string): boolean =>
  ifNoneMatch != null && (ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some(tag => tag.trim().replace(/^W\//, '') === etag))

const elementFiles: FastifyPluginAsync<{ build: ElementsBuild }> = async (scope, { build }) => {
  scope.get<{ Params: { file: string } }>('/:file', {
    schema: {
      params: {
        type: 'object',
        required: ['file'],
        additionalProperties: false,
        // Any other name, the directory itself included, is a plain 404: nothing is listed.
        properties: { file: { type: 'string', maxLength: 128 } }
      }
    }
  }, async (request: FastifyRequest<{ Params: { file: string } }>, reply: FastifyReply) => {
    const served = build.files.get(request.params.file)
    if (served == null) {
      reply.callNotFound()
      return await reply
    }
    const encoding = negotiateEncoding(request.headers['accept-encoding'])
    const representation = served[encoding]
    reply
      .header('cache-control', IMMUTABLE_CACHE_CONTROL)
      .header('vary', 'accept-encoding')
      .header('etag', representation.etag)
      .header('x-content-type-options', 'nosniff')
    if (matches(request.headers['if-none-match'], representation.etag)) return await reply.code(304).send()
    if (encoding !== 'identity') reply.header('content-encoding', encoding)
    return await reply.type(served.type).send(representation.body)
  })
}

/**
 * Serves the installed elements under `prefix` (GET and HEAD; only the package's files). Skipped when a
 * route already serves that prefix (both plugins in one app). Throws a coded error at once when the
 * package is missing or incomplete.
 */
export function serveElements (fastify: FastifyInstance, prefix: string): void {
  const build = loadElements()
  if (fastify.hasRoute({ method: 'GET', url: `${prefix}:file` })) return
  void fastify.register(elementFiles, { prefix: prefix.slice(0, -1), build })
}
