// The files the hosted page loads: its own script and style, an icon, and the browser SDK's
// self-contained build. The SDK's ESM build imports bare package names a browser cannot resolve; its
// minified build defines one global (`authsignal`) and needs no bundler. All are read once at boot and
// revalidated by ETag, so a restart after an edit is all it takes to see a change.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { FastifyPluginAsync } from 'fastify'
import { assetHeaders } from './headers.js'

interface Asset { body: Buffer, type: string, etag: string }

const STATIC_DIR = join(import.meta.dirname, 'static')
const require = createRequire(import.meta.url)

function load (path: string, type: string): Asset {
  const body = readFileSync(path)
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` }
}

export const ASSET_FILES = {
  'hosted.js': () => load(join(STATIC_DIR, 'hosted.js'), 'text/javascript; charset=utf-8'),
  'hosted.css': () => load(join(STATIC_DIR, 'hosted.css'), 'text/css; charset=utf-8'),
  'icon.svg': () => load(join(STATIC_DIR, 'icon.svg'), 'image/svg+xml'),
  'authsignal-browser.min.js': () => load(require.resolve('@authsignal/browser/dist/index.min.js'), 'text/javascript; charset=utf-8')
}

export const hostedAssets: FastifyPluginAsync = async app => {
  for (const [name, read] of Object.entries(ASSET_FILES)) {
    const asset = read()
    app.get(`/${name}`, { schema: { querystring: { type: 'object', additionalProperties: false } } }, async (request, reply) => {
      assetHeaders(reply, asset.type).header('etag', asset.etag).header('cache-control', 'no-cache')
      if (request.headers['if-none-match'] === asset.etag) return await reply.code(304).send()
      return await reply.send(asset.body)
    })
  }
}
