// Minifies the CSS of Lit's css`…` templates in the elements' sources: the bundler minifies JavaScript,
// not the text inside template literals, so the styles would ship with their indentation and comments.
// Only what is always safe in CSS: comments go, whitespace runs (line breaks included) become one space,
// spaces next to `{`, `}`, `;`, `,` and `>` go, and so does the space after a declaration's property name
// and its colon (`{color: red` → `{color:red`; never around other colons, which can be in selectors).
// The line breaks taken out of a template are put back after its closing backtick, where they are
// whitespace between JavaScript tokens: every line after the template keeps its number, so the module's
// source map stays right. Interpolations (`${…}`) are kept as they are.
import type { Plugin } from 'vite'

const CSS_TEMPLATE = /\bcss`((?:[^`\\$]|\\.|\$(?!\{))*(?:\$\{[^}]*\}(?:[^`\\$]|\\.|\$(?!\{))*)*)`/g

/** The CSS text of one template's static parts, minified, on one line. */
export function minifyCss (text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};,>]) ?/g, '$1')
    .replace(/;}/g, '}')
    .replace(/([{;]-*[A-Za-z][\w-]*): /g, '$1:')
}

export function minifyCssTemplates (): Plugin {
  return {
    name: 'passkey-elements-minify-css',
    apply: 'build',
    transform (code, id) {
      if (!/[\\/]src[\\/].*\.ts$/.test(id) || !code.includes('css`')) return undefined
      return {
        code: code.replace(CSS_TEMPLATE, (_match, body: string) => {
          // Minify between interpolations only; `${…}` stays verbatim. The template's own ends are trimmed.
          const parts = body.split(/(\$\{[^}]*\})/)
          const css = parts.map(part => part.startsWith('${') ? part : minifyCss(part)).join('').trim()
          const lineBreaks = body.split('\n').length - css.split('\n').length
          return 'css`' + css + '`' + '\n'.repeat(lineBreaks)
        }),
        // Same lines: the module's existing source map still holds (null keeps it).
        map: null
      }
    }
  }
}
