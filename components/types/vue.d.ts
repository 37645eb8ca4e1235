// passkey-elements/vue: the elements in Vue templates (`GlobalComponents` in `vue`), for vue-tsc and Volar,
// as Vue's guide types custom elements ("Web Components and TypeScript"). Types only; import it once, for its
// types: `import type {} from 'passkey-elements/vue'` (or list it in tsconfig `types`). Tell Vue's compiler
// they are custom elements: `compilerOptions.isCustomElement: tag => tag.startsWith('passkey-')`.
//
// Templates write attributes in kebab case (`tenant-id`); Vue checks them as the camel-cased properties.
// Listen with `@passkey-signin="…"` (typed through `$emit`, and as `onPasskeySignin` among the props).
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue'
import type { PasskeyElements } from './index.js'

type Camel<Name extends string> = Name extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : Name
type Listeners<Events> = { [Type in keyof Events & string as `on${Capitalize<Camel<Type>>}`]?: (event: Events[Type]) => void }
type Emits<Events> = EmitFn<{ [Type in keyof Events & string]: (event: Events[Type]) => void }>

/**
 * `<Tag>` as a Vue component type: `$props` are what a template may set (the element's properties, its
 * listeners, Vue's and HTML's own), `$emit` its events. Neither exists on the element at run time.
 */
export type PasskeyVueComponent<Tag extends keyof PasskeyElements> = new () => PasskeyElements[Tag]['element'] & {
  /** @deprecated For template type checking only; not on the element. */
  $props: HTMLAttributes & PublicProps & PasskeyElements[Tag]['properties'] & Listeners<PasskeyElements[Tag]['events']>
  /** @deprecated For template type checking only; not on the element. */
  $emit: Emits<PasskeyElements[Tag]['events']>
}

declare module 'vue' {
  interface GlobalComponents {
    'passkey-input': PasskeyVueComponent<'passkey-input'>
    'passkey-signin-button': PasskeyVueComponent<'passkey-signin-button'>
    'passkey-enroll': PasskeyVueComponent<'passkey-enroll'>
  }
}
