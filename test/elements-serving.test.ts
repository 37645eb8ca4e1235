// fastify-passkey-core's element serving: the files of the installed passkey-elements package, negotiated
// (brotli, gzip, identity), with a strong ETag per encoding, 304 on revalidation, immutable caching, and
// the page tags (entries, preloads, SRI) that point at them — here or on a CDN.
import t, { type Test } from 'tap'
import Fastify from 'fastify'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { ELEMENT_NAMES, IMMUTABLE_CACHE_CONTROL, elementTags, elementTagsHtml, loadElements, negotiateEncoding, serveElements } from 'fastify-passkey-core'

const PREFIX = '/passkey-elements/'

async function serve (t: Test) {
  const app = Fastify()
  t.teardown(() => app.close())
  serveElements(app, PREFIX)
  await app.ready()
  return app
}




const build = loadElements()
const names = Object.keys(build.assets.files)

t.test('the package ships a complete build, read from node_modules', async t => {
  t.match(build.dir, /node_modules[\\/]passkey-elements[\\/]dist$|components[\\/]dist$/)
  t.ok(names.some(n => n.endsWith('.js')) && names.some(n => n.endsWith('.map')))
  for (const element of ELEMENT_NAMES) t.ok(build.assets.elements[element].entry, element)
})

t.test('every file is served brotli, gzip or plain, with a strong ETag per encoding and immutable caching', async t => {
  const app = await serve(t)
  for (const name of names) {
    const original = readFileSync(join(build.dir, name))
    const etags = new Set<string>()
    for (const [acceptEncoding, encoding, decode] of [
      ['gzip, deflate, br, zstd', 'br', brotliDecompressSync],
      ['gzip, deflate', 'gzip', gunzipSync],
      [undefined, undefined, (b: Buffer) => b]
    ] as const) {
      const res = await app.inject({ url: PREFIX + name, headers: acceptEncoding == null ? {} : { 'accept-encoding': acceptEncoding } })
      t.equal(res.statusCode, 200, `${name} ${encoding ?? 'identity'}`)
      t.equal(res.headers['content-encoding'], encoding)
      t.equal(res.headers['cache-control'], IMMUTABLE_CACHE_CONTROL)
      t.equal(res.headers.vary, 'accept-encoding')
      t.equal(res.headers['x-content-type-options'], 'nosniff')
      t.equal(res.headers['content-type'], build.assets.files[name]?.type)
      t.match(res.headers.etag, /^"[A-Za-z0-9_-]{20,}(-br|-gz)?"$/, 'a strong ETag')
      etags.add(String(res.headers.etag))
      t.ok(decode(res.rawPayload).equals(original), 'the shipped file, byte for byte')
      if (encoding != null) t.ok(res.rawPayload.length < original.length, 'smaller on the wire')
    }
    t.equal(etags.size, 3, 'each representation has its own tag')
  }
})

t.test('revalidation answers 304 with no body; another tag gets the file', async t => {
  const app = await serve(t)
  const name = build.assets.elements['passkey-input'].entry
  const first = await app.inject({ url: PREFIX + name, headers: { 'accept-encoding': 'br' } })
  const etag = String(first.headers.etag)
  for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
    const again = await app.inject({ url: PREFIX + name, headers: { 'accept-encoding': 'br', 'if-none-match': ifNoneMatch } })
    t.equal(again.statusCode, 304, ifNoneMatch)
    t.equal(again.body, '')
    t.equal(again.headers.etag, etag)
    t.equal(again.headers['cache-control'], IMMUTABLE_CACHE_CONTROL)
  }
  const gzipTagOnBrotli = await app.inject({ url: PREFIX + name, headers: { 'accept-encoding': 'gzip', 'if-none-match': etag } })
  t.equal(gzipTagOnBrotli.statusCode, 200, 'the brotli tag does not validate the gzip representation')
  const head = await app.inject({ method: 'HEAD', url: PREFIX + name, headers: { 'accept-encoding': 'br' } })
  t.equal(head.statusCode, 200)
  t.equal(head.headers.etag, etag)
})

t.test('nothing but the listed files is served', async t => {
  const app = await serve(t)
  for (const path of ['', 'assets.json', 'index.js', '..%2Fpackage.json', '%2e%2e/package.json', 'passkey-input.js.br', `${names[0] ?? ''}.gz`, 'x'.repeat(300)]) {
    const res = await app.inject(PREFIX + path)
    // (A name longer than Fastify's maxParamLength is refused by the router itself: 414.)
    t.equal(res.statusCode, path.length > 100 ? 414 : 404, JSON.stringify(path.slice(0, 40)))
  }
})

t.test('the coding is negotiated as RFC 9110 says', async t => {
  const table: Array<[string | undefined, string]> = [
    [undefined, 'identity'], ['', 'identity'], ['br', 'br'], ['gzip', 'gzip'], ['gzip, br', 'br'], ['br;q=0, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'], ['*', 'br'], ['*;q=0', 'identity'], ['identity', 'identity'], ['deflate', 'identity'],
    ['GZIP', 'gzip'], ['br;q=0.5', 'br'], ['gzip;q=0.001, br;q=0', 'gzip']
  ]
  for (const [header, expected] of table) t.equal(negotiateEncoding(header), expected, String(header))
})

t.test('page tags: every entry and every chunk it imports, transitively, each with its SRI hash', async t => {
  const tags = elementTags(PREFIX, [...ELEMENT_NAMES])
  t.equal(tags.scripts.length, 3)
  for (const tag of [...tags.scripts.map(s => ({ url: s.src, integrity: s.integrity })), ...tags.preloads.map(p => ({ url: p.href, integrity: p.integrity }))]) {
    const file = tag.url.slice(PREFIX.length)
    const digest = createHash('sha384').update(readFileSync(join(build.dir, file))).digest('base64')
    t.equal(tag.integrity, `sha384-${digest}`, file)
    // Every module a served file imports is among the page's tags: nothing is discovered late.
    for (const [, imported] of readFileSync(join(build.dir, file), 'utf8').matchAll(/from\s*["']\.\/([\w.-]+\.js)["']/g)) {
      t.ok([...tags.scripts.map(s => s.src), ...tags.preloads.map(p => p.href)].includes(PREFIX + String(imported)), `${file} imports ${String(imported)}, which the page loads`)
    }
  }
  t.same(tags.preloads.filter(p => tags.scripts.some(s => s.src === p.href)), [], 'an entry is never also a preload')
  t.throws(() => elementTags(PREFIX, ['passkey-nope' as 'passkey-input']), /unknown element/)

  const cdn = elementTags('https://cdn.example/passkey-elements@0.1.0/dist/', ['passkey-enroll'])
  t.match(cdn.scripts[0]?.src, /^https:\/\/cdn\.example\/passkey-elements@0\.1\.0\/dist\/passkey-enroll-[\w-]+\.js$/)
  const html = elementTagsHtml(cdn)
  t.match(html, /<script type="module" src="https:\/\/cdn\.example\/[^"]+" integrity="sha384-[^"]+" crossorigin="anonymous"><\/script>/)
  t.match(html, /<link rel="modulepreload" href="https:\/\/cdn\.example\/[^"]+" integrity="sha384-[^"]+" crossorigin="anonymous">/)
  t.notMatch(elementTagsHtml(elementTags('/a"b<c/', ['passkey-enroll'])), /a"b<c/, 'attribute values are escaped')
})

t.test('a second serveElements on the same prefix is a no-op (both plugins in one app)', async t => {
  const app = Fastify()
  t.teardown(() => app.close())
  serveElements(app, PREFIX)
  await app.after()
  serveElements(app, PREFIX)
  await app.ready()
  t.equal((await app.inject(PREFIX + (names[0] ?? ''))).statusCode, 200)
})
