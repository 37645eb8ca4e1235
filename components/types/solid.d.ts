// passkey-elements/solid: the elements in Solid's JSX (`solid-js` JSX namespace). Types only; import it once,
// for its types: `import type {} from 'passkey-elements/solid'` (or list it in tsconfig `types`).
//
// Solid sets a custom element's props as properties (`tenant-id` becomes `tenantId`), so attributes and
// properties are typed; `prop:` and `attr:` force one or the other. Listen with `on:` + the event's name:
// `on:passkey-signin`.
import type { JSX } from 'solid-js'
import type { PasskeyElements } from './index.js'

type Listeners<Element, Events> = { [Type in keyof Events & string as `on:${Type}`]?: (event: Events[Type] & { currentTarget: Element }) => void }
type Forced<Properties, Attributes> =
  { [Name in keyof Properties & string as `prop:${Name}`]?: Properties[Name] } &
  { [Name in keyof Attributes & string as `attr:${Name}`]?: Attributes[Name] }

/** What Solid accepts on `<Tag>`: the HTML attributes, the element's own attributes and properties, its events. */
export type PasskeySolidProps<Tag extends keyof PasskeyElements> =
  JSX.HTMLAttributes<PasskeyElements[Tag]['element']> &
  PasskeyElements[Tag]['attributes'] & PasskeyElements[Tag]['properties'] &
  Forced<PasskeyElements[Tag]['properties'], PasskeyElements[Tag]['attributes']> &
  Listeners<PasskeyElements[Tag]['element'], PasskeyElements[Tag]['events']>

declare module 'solid-js' {
  namespace JSX {
    interface IntrinsicElements {
      'passkey-input': PasskeySolidProps<'passkey-input'>
      'passkey-signin-button': PasskeySolidProps<'passkey-signin-button'>
      'passkey-enroll': PasskeySolidProps<'passkey-enroll'>
    }
  }
}
