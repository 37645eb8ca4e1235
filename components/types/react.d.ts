// passkey-elements/react: the elements in React 19's JSX (`react` JSX namespace). Types only; import it once,
// for its types: `import type {} from 'passkey-elements/react'` (or list it in tsconfig `types`).
//
// React 19 sets a prop as a property when the element has one (`tenantId`, `messages`, `authsignal`…) and as
// an attribute otherwise (`tenant-id`…), so both are typed. It adds a listener for a function prop named
// `on` + the event's exact name: `onpasskey-signin`, not `onPasskeySignin` (which would listen for an event
// called "PasskeySignin").
import type { DetailedHTMLProps, HTMLAttributes } from 'react'
import type { PasskeyElements } from './index.js'

type Listeners<Events> = { [Type in keyof Events & string as `on${Type}`]?: (event: Events[Type]) => void }

/** What React 19 accepts on `<Tag>`: the HTML attributes, the element's own attributes and properties, its events. */
export type PasskeyReactProps<Tag extends keyof PasskeyElements> =
  DetailedHTMLProps<HTMLAttributes<PasskeyElements[Tag]['element']>, PasskeyElements[Tag]['element']> &
  PasskeyElements[Tag]['attributes'] & PasskeyElements[Tag]['properties'] & Listeners<PasskeyElements[Tag]['events']>

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'passkey-input': PasskeyReactProps<'passkey-input'>
      'passkey-signin-button': PasskeyReactProps<'passkey-signin-button'>
      'passkey-enroll': PasskeyReactProps<'passkey-enroll'>
    }
  }
}
