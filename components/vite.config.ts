// Builds the three elements as ES modules into components/dist: one content-hashed entry per element,
// shared code (Lit, the SDK's passkey client, the ceremony coordinator) in hashed chunks the entries share,
// and, once they are written (build/package-files.ts), what the published package ships beside them:
// dist/assets.json (what servers read), .br/.gz copies, stable entry modules for bundlers and the types.
import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import { REGISTRATION_ID, authsignalPasskey } from './build/authsignal-passkey.js'
import { minifyCssTemplates } from './build/minify-css.js'
import { packageFiles } from './build/package-files.js'
import { PASSKEY_LANGUAGES } from './src/messages/types.js'

export const ELEMENT_NAMES = ['passkey-input', 'passkey-signin-button', 'passkey-enroll']

// Modules used by one element (or, for the sign-in base, by the two sign-in elements) stay out of the runtime;
// so does the SDK's registration ceremony (<passkey-enroll>'s).
const ELEMENT_SPECIFIC_FILE = /[\\/]src[\\/](passkey-[a-z-]+|internal[\\/](passkey-signin-base|enrollment-token|authsignal-enroll)|messages[\\/]english-enroll)\.ts$/
// The two sign-in elements and their base, in one chunk: they are on a page together (the login page), where
// one file compresses better than three; each element's entry module re-exports its element from it.
const SIGNIN_MODULE = /[\\/]src[\\/](passkey-input|passkey-signin-button|internal[\\/]passkey-signin-base)\.ts$/
const elementSpecific = (id: string): boolean => ELEMENT_SPECIFIC_FILE.test(id) || id === REGISTRATION_ID
// Every language but English is a chunk of its own, loaded when a page needs it (src/internal/i18n.ts).
export const LANGUAGE_MODULE = new RegExp(`[\\\\/]src[\\\\/]messages[\\\\/](${PASSKEY_LANGUAGES.filter(l => l !== 'en').join('|')})\\.ts$`)

const root = import.meta.dirname
const entry = Object.fromEntries(ELEMENT_NAMES.map(name => [name, resolve(root, 'src', `${name}.ts`)]))

export default defineConfig({
  root,
  // Bundled for browsers: nothing is loaded from node_modules at run time, no HTML, no public dir.
  publicDir: false,
  plugins: [authsignalPasskey(), minifyCssTemplates(), packageFiles({ elements: ELEMENT_NAMES, root, languageModule: LANGUAGE_MODULE })],
  build: {
    lib: { entry, formats: ['es'] },
    outDir: 'dist',
    emptyOutDir: true,
    // Vite's manifest (dist/.vite/, not shipped); dist/assets.json is what servers read.
    manifest: true,
    sourcemap: true,
    minify: true,
    target: 'es2022',
    reportCompressedSize: false,
    // The bundled packages' licences (Lit, the SDK…), shipped with the package.
    license: { fileName: 'THIRD-PARTY-LICENSES.md' },
    rolldownOptions: {
      output: {
        // Every file is content-hashed so it can be served `immutable`.
        entryFileNames: '[name]-[hash].js',
        chunkFileNames: chunk => LANGUAGE_MODULE.test(chunk.facadeModuleId ?? '') ? 'passkey-messages-[name]-[hash].js' : '[name]-[hash].js',
        // What every element needs (Lit, the SDK's passkey client, the page's ceremony coordinator) in one
        // chunk the entries share, so a page with several elements loads it once.
        codeSplitting: {
          groups: [
            { name: 'passkey-runtime', priority: 2, test: (id: string) => !elementSpecific(id) && !LANGUAGE_MODULE.test(id) },
            { name: 'passkey-signin', priority: 1, test: (id: string) => SIGNIN_MODULE.test(id) }
          ]
        },
        // Fully minified, whitespace included (Vite's library mode keeps it by default, for bundlers that
        // read annotations; these modules are served to browsers as they are).
        minify: { codegen: { removeWhitespace: true } },
        // Annotations and doc comments are of no use to browsers; licences are in THIRD-PARTY-LICENSES.md.
        comments: false
      }
    }
  }
})
