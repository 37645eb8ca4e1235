// Builds the three elements as ES modules into components/dist: one content-hashed entry per element,
// shared code (Lit, the SDK's passkey client, the ceremony coordinator) in hashed chunks the entries share,
// and a manifest (dist/.vite/manifest.json) from which plugins/shared/elements.ts serves them.
import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import { authsignalPasskey } from './build/authsignal-passkey.js'

export const ELEMENT_NAMES = ['passkey-input', 'passkey-signin-button', 'passkey-enroll']

// Modules used by one element (or, for the sign-in base, by the two sign-in elements) stay out of the runtime.
const ELEMENT_SPECIFIC = /[\\/]src[\\/](passkey-[a-z-]+|internal[\\/](passkey-signin-base|enrollment-token))\.ts$/

const root = import.meta.dirname
const entry = Object.fromEntries(ELEMENT_NAMES.map(name => [name, resolve(root, 'src', `${name}.ts`)]))

export default defineConfig({
  root,
  // Bundled for browsers: nothing is loaded from node_modules at run time, no HTML, no public dir.
  publicDir: false,
  plugins: [authsignalPasskey()],
  build: {
    lib: { entry, formats: ['es'] },
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    sourcemap: true,
    minify: true,
    target: 'es2022',
    reportCompressedSize: false,
    license: true,
    rolldownOptions: {
      output: {
        // Every file is content-hashed so it can be served `immutable`.
        entryFileNames: '[name]-[hash].js',
        chunkFileNames: '[name]-[hash].js',
        // What every element needs (Lit, the SDK's passkey client, the page's ceremony coordinator) in one
        // chunk the entries share, so a page with several elements loads it once.
        codeSplitting: {
          groups: [{ name: 'passkey-runtime', test: (id: string) => !ELEMENT_SPECIFIC.test(id) }]
        },
        // Annotations and doc comments are of no use to browsers; licences are listed in .vite/license.md.
        comments: false
      }
    }
  }
})
