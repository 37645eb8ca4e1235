// Minifies the CSS of Lit's css`…` templates in the elements' sources: the bundler minifies JavaScript,
// not the text inside template literals, so the styles would ship with their indentation and comments.
// Only what is always safe in CSS: comments go, whitespace runs become one space, and spaces next to
// `{`, `}`, `;`, `,` and `>` go (never around `:` or between words, which can be selectors or values).
// Line breaks stay, so every line of the module keeps its number and the source maps stay right.
// Interpolations (`${…}`) are kept as they are.
import type { Plugin } from 'vite'

const CSS_TEMPLATE = /\bcss`((?:[^`\\$]|\\.|\$(?!\{))*(?:\$\{[^}]*\}(?:[^`\\$]|\\.|\$(?!\{))*)*)`/g

/** The CSS text of one template's static parts, minified. */
export function minifyCss (text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, comment => comment.replace(/[^\n]/g, ''))
    .replace(/[ \t]*\n\s*/g, match => '\n'.repeat(match.split('\n').length - 1))
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?([{};,>]) ?/g, '$1')
    .replace(/;(\n*)}/g, '$1}')
}

export function minifyCssTemplates (): Plugin {
  return {
    name: 'passkey-elements-minify-css',
    apply: 'build',
    transform (code, id) {
      if (!/[\\/]src[\\/].*\.ts$/.test(id) || !code.includes('css`')) return undefined
      return {
        code: code.replace(CSS_TEMPLATE, (_match, body: string) => {
          // Minify between interpolations only; `${…}` stays verbatim.
          const parts = body.split(/(\$\{[^}]*\})/)
          return 'css`' + parts.map(part => part.startsWith('${') ? part : minifyCss(part)).join('') + '`'
        }),
        // Same lines: the module's existing source map still holds (null keeps it).
        map: null
      }
    }
  }
}
