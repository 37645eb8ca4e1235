// `cem analyze --litelement` (the second half of `npm run build`, run in components/): the element
// docblocks are the API; this writes them to components/custom-elements.json, which ships with the package
// (`"customElements"` in package.json) and is committed.
//
// The manifest describes what ships, not the sources: each element's module is its stable entry
// `dist/<element>.js`; the event classes are declared in `dist/index.js` (which exports everything); the
// sign-in elements' internal base class is no module of the package (its members are listed, flattened,
// on both elements, marked `inheritedFrom`).
const ELEMENTS = ['passkey-input', 'passkey-signin-button', 'passkey-enroll']
const INDEX = 'dist/index.js'
const EVENTS_SOURCES = new Set(['src/events.ts', './events.js', '/src/events.js'])
const BASE_SOURCES = new Set(['src/internal/passkey-signin-base.ts', '/src/internal/passkey-signin-base.js', './internal/passkey-signin-base.js'])

/** The shipped module a source module path stands for; null for the internal base class. */
function shippedModule (path) {
  if (EVENTS_SOURCES.has(path)) return INDEX
  if (BASE_SOURCES.has(path)) return null
  const element = /^(?:\/?src\/|\.\/)(passkey-[a-z-]+)\.(?:ts|js)$/.exec(path)?.[1]
  if (element != null && ELEMENTS.includes(element)) return `dist/${element}.js`
  throw new Error(`custom-elements-manifest.config.mjs: no shipped module for ${JSON.stringify(path)}`)
}

/** Rewrites every `module` reference in place (superclass, inheritedFrom, exports, type references). */
function rewriteReferences (node) {
  if (Array.isArray(node)) {
    node.forEach(rewriteReferences)
  } else if (node != null && typeof node === 'object') {
    if (typeof node.module === 'string') {
      // `Event`: the analyzer records a global superclass as declared in the subclass's own module.
      if (node.name === 'Event' && EVENTS_SOURCES.has(node.module)) {
        delete node.module
        node.package = 'global:'
      } else {
        const module = shippedModule(node.module)
        if (module == null) delete node.module
        else node.module = module
      }
    }
    Object.values(node).forEach(rewriteReferences)
  }
}

export default {
  globs: ['src/passkey-*.ts', 'src/events.ts', 'src/internal/passkey-signin-base.ts'],
  outdir: '.',
  litelement: true,
  packagejson: false,
  plugins: [{
    // The analyzer also records each `dispatchEvent(new …Event())` call as a nameless event; the named
    // ones come from the `@fires` tags.
    name: 'drop-unnamed-events',
    packageLinkPhase ({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules ?? []) {
        for (const declaration of mod.declarations ?? []) {
          if (Array.isArray(declaration.events)) declaration.events = declaration.events.filter(event => event.name)
        }
      }
    }
  }, {
    name: 'shipped-paths',
    packageLinkPhase ({ customElementsManifest }) {
      const sources = customElementsManifest.modules ?? []
      const events = sources.find(mod => mod.path === 'src/events.ts')
      if (events == null) throw new Error('custom-elements-manifest.config.mjs: src/events.ts was not analyzed')
      const elements = ELEMENTS.map(name => {
        const mod = sources.find(m => m.path === `src/${name}.ts`)
        if (mod == null) throw new Error(`custom-elements-manifest.config.mjs: src/${name}.ts was not analyzed`)
        return mod
      })
      const runtime = new Set([...events.declarations, ...elements.flatMap(mod => mod.declarations)].map(d => d.name))
      for (const mod of elements) {
        // Type-only re-exports (`PasskeyErrorCode`, `PasskeyClient`…) are no JavaScript exports.
        mod.exports = (mod.exports ?? []).filter(e => runtime.has(e.declaration?.name))
      }
      const index = {
        kind: 'javascript-module',
        path: INDEX,
        declarations: events.declarations,
        exports: structuredClone([
          ...elements.flatMap(mod => mod.exports.filter(e => e.kind === 'js' && mod.declarations.some(d => d.name === e.name))),
          ...events.exports
        ])
      }
      customElementsManifest.modules = [...elements, index]
      rewriteReferences(customElementsManifest.modules)
      for (const mod of elements) mod.path = shippedModule(mod.path)
    }
  }]
}
