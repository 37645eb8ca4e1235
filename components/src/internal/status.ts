// The status regions every element renders: a polite `role="status"` region for progress, success and a
// calm cancel, and a `role="alert"` region for errors, both present from the first render (a live region
// added together with its text is often not announced). Both are `part="status"`; one is empty at a time.
import { html, nothing, type TemplateResult } from 'lit'
import type { PasskeyMessageKey } from '../messages/types.js'

export interface Status {
  key: PasskeyMessageKey
  /** An error the user should hear at once (`role="alert"`). */
  alert: boolean
}

/** The two regions, `text` in the one `alert` says; `extra` (a link) follows the text. */
export function statusRegions (text: string, alert: boolean, lang: string, extra: unknown = nothing): TemplateResult {
  return html`<p part="status" role="alert" lang=${lang}>${alert ? html`${text}${extra}` : nothing}</p><p part="status" role="status" lang=${lang} tabindex="-1">${alert ? nothing : html`${text}${extra}`}</p>`
}
