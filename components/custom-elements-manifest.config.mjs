// `npm run analyze` (cem analyze --litelement, run in components/): the element docblocks are the API;
// this writes them to components/custom-elements.json, which is committed.
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
  }]
}
