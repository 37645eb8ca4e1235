// plugins/shared/elements.ts: how the plugins serve components/dist (built by `npm run build`).
import t, { type Test } from 'tap'
import Fastify from 'fastify'
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  DEFAULT_ELEMENTS_DIST,
  ELEMENT_NAMES,
  IMMUTABLE_CACHE_CONTROL,
  elementScripts,
  loadElementsBuild,
  registerElements
} from '../plugins/shared/elements.js'

const PREFIX = '/passkey-elements/'

async function serve (t: Test, distDir?: string) {
  const app = Fastify()
  t.teardown(() => app.close())
  registerElements(app, { prefix: PREFIX, distDir })
  await app.ready()
  return app
}

/** A copy of the real build to damage. */
function copyOfDist (t: Test): string {
  const dir = t.testdir({})
  cpSync(DEFAULT_ELEMENTS_DIST, dir, { recursive: true })
  return dir
}

t.test('entry scripts and chunks are served with immutable caching and a JavaScript content type', async t => {
  const app = await serve(t)
  const { scripts, preloads } = elementScripts(PREFIX, [...ELEMENT_NAMES])
  t.equal(scripts.length, 3)
  t.ok(preloads.length >= 1)
  for (const path of [...scripts, ...preloads]) {
    const res = await app.inject(path)
    t.equal(res.statusCode, 200, path)
    t.equal(res.headers['content-type'], 'text/javascript; charset=utf-8')
    t.equal(res.headers['cache-control'], IMMUTABLE_CACHE_CONTROL)
    t.equal(res.headers['x-content-type-options'], 'nosniff')
    t.equal(res.body, readFileSync(join(DEFAULT_ELEMENTS_DIST, path.slice(PREFIX.length)), 'utf8'), 'the built file, unchanged')
    const head = await app.inject({ method: 'HEAD', url: path })
    t.equal(head.statusCode, 200)
    t.equal(head.headers['cache-control'], IMMUTABLE_CACHE_CONTROL)
  }
})

t.test('elementScripts answers the entries a page includes and every chunk they import', async t => {
  const login = elementScripts(PREFIX, ['passkey-input', 'passkey-signin-button'])
  t.match(login.scripts, [/^\/passkey-elements\/passkey-input-[\w-]+\.js$/, /^\/passkey-elements\/passkey-signin-button-[\w-]+\.js$/])
  t.equal(login.scripts.length, 2)
  const enroll = elementScripts(PREFIX, ['passkey-enroll'])
  t.match(enroll.scripts, [/^\/passkey-elements\/passkey-enroll-[\w-]+\.js$/])
  t.equal(enroll.scripts.length, 1)
  const runtime = enroll.preloads.find(p => /passkey-runtime-/.test(p))
  t.ok(runtime, 'the shared runtime chunk is preloaded')
  t.ok(login.preloads.includes(runtime ?? ''), 'both pages share the same runtime chunk')
  t.equal(new Set(login.preloads).size, login.preloads.length, 'no duplicates')
  t.same(login.preloads.filter(p => login.scripts.includes(p)), [], 'scripts are not also preloaded')
  t.same(elementScripts('/other/', ['passkey-enroll']).scripts, enroll.scripts.map(s => s.replace(PREFIX, '/other/')), 'paths follow the prefix')

  // Every module an entry imports, transitively, is in its preloads: nothing is discovered late.
  for (const page of [login, enroll]) {
    const files = [...page.scripts, ...page.preloads].map(p => p.slice(PREFIX.length))
    for (const file of files) {
      const source = readFileSync(join(DEFAULT_ELEMENTS_DIST, file), 'utf8')
      for (const [, imported] of source.matchAll(/from\s*["']\.\/([\w.-]+\.js)["']/g)) {
        t.ok(files.includes(imported), `${file} imports ${imported}, which the page loads`)
      }
    }
  }
})

t.test('only files of the build are served: unknown names, the manifest, the directory are 404', async t => {
  const app = await serve(t)
  for (const url of [
    `${PREFIX}nope.js`,
    `${PREFIX}`,
    `${PREFIX}.vite/manifest.json`,
    `${PREFIX}.vite%2Fmanifest.json`,
    `${PREFIX}..%2F..%2Fpackage.json`,
    `${PREFIX}%2e%2e/package.json`,
    `${PREFIX}license.md`
  ]) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 404, url)
    t.notOk(res.headers['cache-control'], `${url}: no cache header`)
  }
})

t.test('source maps are served when the build has them, not otherwise', async t => {
  const withMaps = await serve(t)
  const [script] = elementScripts(PREFIX, ['passkey-input']).scripts
  const map = await withMaps.inject(`${script}.map`)
  t.equal(map.statusCode, 200)
  t.equal(map.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(map.headers['cache-control'], IMMUTABLE_CACHE_CONTROL)
  t.equal(JSON.parse(map.body).version, 3)

  const dir = copyOfDist(t)
  for (const file of readdirSync(dir)) if (file.endsWith('.map')) rmSync(join(dir, file))
  const withoutMaps = await serve(t, dir)
  t.equal((await withoutMaps.inject(`${script}.map`)).statusCode, 404)
  t.equal((await withoutMaps.inject(script)).statusCode, 200)
})

t.test('boot fails with a coded error that says to build when the build output is missing', async t => {
  const empty = t.testdir({})
  const app = Fastify()
  t.teardown(() => app.close())
  t.throws(() => { registerElements(app, { prefix: PREFIX, distDir: empty }) }, {
    code: 'FST_PASSKEY_ELEMENTS_NOT_BUILT',
    message: /\.vite\/manifest\.json is missing\): run `npm run build`/
  })
  t.throws(() => elementScripts(PREFIX, ['passkey-input'], { distDir: join(empty, 'nowhere') }), { code: 'FST_PASSKEY_ELEMENTS_NOT_BUILT' })
  // Inside a plugin, the same error fails `ready()`.
  const host = Fastify()
  t.teardown(() => host.close())
  host.register(async scope => { registerElements(scope, { prefix: PREFIX, distDir: empty }) })
  await t.rejects(async () => { await host.ready() }, { code: 'FST_PASSKEY_ELEMENTS_NOT_BUILT' })
})

t.test('an incomplete or damaged build fails at boot with FST_PASSKEY_ELEMENTS_BAD_BUILD', async t => {
  const manifestOf = (dir: string): Record<string, { file: string, isEntry?: boolean, name?: string }> =>
    JSON.parse(readFileSync(join(dir, '.vite', 'manifest.json'), 'utf8'))

  const missingFile = copyOfDist(t)
  const runtime = Object.values(manifestOf(missingFile)).find(c => /passkey-runtime-/.test(c.file))
  rmSync(join(missingFile, runtime?.file ?? 'none'))
  t.throws(() => loadElementsBuild(missingFile), { code: 'FST_PASSKEY_ELEMENTS_BAD_BUILD', message: /passkey-runtime-[\w-]+\.js is missing/ })

  const notJson = copyOfDist(t)
  writeFileSync(join(notJson, '.vite', 'manifest.json'), '{ nope')
  t.throws(() => loadElementsBuild(notJson), { code: 'FST_PASSKEY_ELEMENTS_BAD_BUILD', message: /manifest is not JSON/ })

  const noEntry = copyOfDist(t)
  const manifest = manifestOf(noEntry)
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.name === 'passkey-enroll') delete manifest[key]
  writeFileSync(join(noEntry, '.vite', 'manifest.json'), JSON.stringify(manifest))
  t.throws(() => loadElementsBuild(noEntry), { code: 'FST_PASSKEY_ELEMENTS_BAD_BUILD', message: /no entry for <passkey-enroll>/ })

  const oddName = copyOfDist(t)
  const odd = manifestOf(oddName)
  const entry = Object.values(odd).find(c => c.isEntry === true)
  if (entry != null) entry.file = '../../package.json'
  writeFileSync(join(oddName, '.vite', 'manifest.json'), JSON.stringify(odd))
  t.throws(() => loadElementsBuild(oddName), { code: 'FST_PASSKEY_ELEMENTS_BAD_BUILD', message: /unexpected file name/ })
})

t.test('bad options fail with FST_PASSKEY_ELEMENTS_INVALID_OPTION', async t => {
  const app = Fastify()
  t.teardown(() => app.close())
  for (const prefix of ['passkey-elements/', '/passkey-elements', '', '/a b/', '//evil.example/', 42]) {
    t.throws(() => { registerElements(app, { prefix: prefix as string }) }, { code: 'FST_PASSKEY_ELEMENTS_INVALID_OPTION', message: /"prefix" option must be a URL path/ }, String(prefix))
  }
  t.throws(() => elementScripts(PREFIX, ['passkey-thing' as 'passkey-input']), {
    code: 'FST_PASSKEY_ELEMENTS_INVALID_OPTION',
    message: /unknown element "passkey-thing"/
  })
  t.throws(() => { registerElements(app, undefined as unknown as { prefix: string }) }, { code: 'FST_PASSKEY_ELEMENTS_INVALID_OPTION' })
})

t.test('the manifest is read once per directory: later calls answer from memory', async t => {
  const dir = copyOfDist(t)
  const before = elementScripts(PREFIX, ['passkey-enroll'], { distDir: dir })
  rmSync(join(dir, '.vite'), { recursive: true })
  t.same(elementScripts(PREFIX, ['passkey-enroll'], { distDir: dir }), before)
  const app = await serve(t, dir)
  t.equal((await app.inject(before.scripts[0])).statusCode, 200, 'files were read at boot too')
})
