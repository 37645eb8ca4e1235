// passkey-elements/svelte: the elements in Svelte templates (`svelte/elements`, which `svelteHTML` extends),
// for svelte-check and the Svelte language server. Types only; import it once, for its types:
// `import type {} from 'passkey-elements/svelte'` (or list it in tsconfig `types`).
//
// Svelte sets a custom element's attribute as a property when the element has one. Listen with
// `onpasskey-signin={…}` (Svelte 5) or `on:passkey-signin={…}` (Svelte 4).
import type { HTMLAttributes } from 'svelte/elements'
import type { PasskeyElements } from './index.js'

type Listeners<Element, Events> =
  { [Type in keyof Events & string as `on${Type}`]?: (event: Events[Type] & { currentTarget: EventTarget & Element }) => unknown } &
  { [Type in keyof Events & string as `on:${Type}`]?: (event: Events[Type] & { currentTarget: EventTarget & Element }) => unknown }

/** What Svelte accepts on `<Tag>`: the HTML attributes, the element's own attributes and properties, its events. */
export type PasskeySvelteProps<Tag extends keyof PasskeyElements> =
  HTMLAttributes<PasskeyElements[Tag]['element']> &
  PasskeyElements[Tag]['attributes'] & PasskeyElements[Tag]['properties'] &
  Listeners<PasskeyElements[Tag]['element'], PasskeyElements[Tag]['events']>

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    'passkey-input': PasskeySvelteProps<'passkey-input'>
    'passkey-signin-button': PasskeySvelteProps<'passkey-signin-button'>
    'passkey-enroll': PasskeySvelteProps<'passkey-enroll'>
  }
}
