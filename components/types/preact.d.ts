// passkey-elements/preact: the elements in Preact's JSX (`preact` JSX namespace). Types only; import it once,
// for its types: `import type {} from 'passkey-elements/preact'` (or list it in tsconfig `types`).
//
// Preact sets a prop as a property when the element has one and as an attribute otherwise, so both are typed;
// a function prop `on` + an event's exact name listens for it: `onpasskey-signin`.
import type { JSX } from 'preact'
import type { PasskeyElements } from './index.js'

type Listeners<Events> = { [Type in keyof Events & string as `on${Type}`]?: (event: Events[Type]) => void }

/** What Preact accepts on `<Tag>`: the HTML attributes, the element's own attributes and properties, its events. */
export type PasskeyPreactProps<Tag extends keyof PasskeyElements> =
  JSX.HTMLAttributes<PasskeyElements[Tag]['element']> &
  PasskeyElements[Tag]['attributes'] & PasskeyElements[Tag]['properties'] & Listeners<PasskeyElements[Tag]['events']>

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      'passkey-input': PasskeyPreactProps<'passkey-input'>
      'passkey-signin-button': PasskeyPreactProps<'passkey-signin-button'>
      'passkey-enroll': PasskeyPreactProps<'passkey-enroll'>
    }
  }
}
