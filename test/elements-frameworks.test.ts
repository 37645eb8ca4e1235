// The framework typings shipped with passkey-elements (passkey-elements/react, /preact, /vue, /svelte, /solid):
// a small usage of each element with its events compiles with `tsc --strict` in each framework's JSX or
// template types, and a misspelt property, a misspelt message key or a wrong use of an event detail does not.
//
// React, Preact, Vue, Svelte and Solid are not installed here (and the package must not need them), so the
// consumer project below gets STUB PACKAGES of them: minimal declaration files written for this test that
// mirror the real packages' shape where it matters to these typings — the module structure and the names the
// typings augment or import (@types/react 19: `export =` namespace React with namespace JSX, and
// react/jsx-runtime's JSX extending it; preact 10: `export =` namespace preact whose JSX is
// `export import JSX = JSXInternal` from src/jsx, and preact/jsx-runtime; solid-js 1: JSX re-exported from
// types/jsx; svelte 5: svelte/elements' SvelteHTMLElements and the language server's global svelteHTML with
// its createElement; vue 3: GlobalComponents, HTMLAttributes, PublicProps and EmitFn reached through vue's
// `export *` of @vue/runtime-dom and @vue/runtime-core). Each stub has a few HTML elements and attributes only.
//
// Templates (Vue, Svelte) are checked the way their tools check them: vue-tsc reads a component's `$props`
// and `$emit`; svelte2tsx turns an element into `svelteHTML.createElement(tag, attributes)`. The .vue and
// .svelte sources those stand for are quoted beside them.
import { execFile } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import t, { type Test } from 'tap'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..')
const PACKAGE_DIR = join(ROOT, 'components')
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')

// ---------------------------------------------------------------------------------------------------- stubs

const REACT: Record<string, string> = {
  'node_modules/@types/react/package.json': JSON.stringify({
    name: '@types/react',
    version: '19.2.0-stub',
    types: 'index.d.ts',
    exports: { '.': { types: './index.d.ts' }, './jsx-runtime': { types: './jsx-runtime.d.ts' }, './package.json': './package.json' }
  }),
  'node_modules/@types/react/index.d.ts': `// STUB of @types/react 19 for test/elements-frameworks.test.ts (the JSX part, a few elements).
export = React;
export as namespace React;

declare namespace React {
  type Key = string | number | bigint;
  interface RefObject<T> { current: T }
  type RefCallback<T> = { bivarianceHack (instance: T | null): void | (() => void) }['bivarianceHack'];
  type Ref<T> = RefCallback<T> | RefObject<T | null> | null;
  interface Attributes { key?: Key | null | undefined }
  interface RefAttributes<T> extends Attributes { ref?: Ref<T> | undefined }
  interface ClassAttributes<T> extends RefAttributes<T> {}
  interface ReactElement<P = unknown, T = string | JSXElementConstructor<any>> { type: T; props: P; key: string | null }
  type JSXElementConstructor<P> = (props: P) => ReactNode;
  type ReactNode = ReactElement | string | number | bigint | Iterable<ReactNode> | boolean | null | undefined;
  const Fragment: (props: { children?: ReactNode }) => ReactNode;

  interface SyntheticEvent<T = Element, E = Event> { nativeEvent: E; currentTarget: T }
  type EventHandler<E extends SyntheticEvent<any>> = { bivarianceHack (event: E): void }['bivarianceHack'];
  type MouseEventHandler<T = Element> = EventHandler<SyntheticEvent<T, MouseEvent>>;

  interface DOMAttributes<T> {
    children?: ReactNode | undefined;
    dangerouslySetInnerHTML?: { __html: string } | undefined;
    onClick?: MouseEventHandler<T> | undefined;
    onError?: EventHandler<SyntheticEvent<T, Event>> | undefined;
  }
  interface HTMLAttributes<T> extends DOMAttributes<T> {
    className?: string | undefined;
    hidden?: boolean | undefined;
    id?: string | undefined;
    lang?: string | undefined;
    slot?: string | undefined;
    title?: string | undefined;
  }
  interface FormHTMLAttributes<T> extends HTMLAttributes<T> { action?: string | undefined; method?: string | undefined }
  interface InputHTMLAttributes<T> extends HTMLAttributes<T> { autoComplete?: string | undefined; name?: string | undefined; required?: boolean | undefined }
  interface LabelHTMLAttributes<T> extends HTMLAttributes<T> { htmlFor?: string | undefined }
  type DetailedHTMLProps<E extends HTMLAttributes<T>, T> = ClassAttributes<T> & E;

  namespace JSX {
    type ElementType = string | JSXElementConstructor<any>;
    interface Element extends React.ReactElement<any, any> {}
    interface ElementClass { render (): React.ReactNode }
    interface ElementAttributesProperty { props: {} }
    interface ElementChildrenAttribute { children: {} }
    interface IntrinsicAttributes extends React.Attributes {}
    interface IntrinsicClassAttributes<T> extends React.ClassAttributes<T> {}
    interface IntrinsicElements {
      div: React.DetailedHTMLProps<React.HTMLAttributes<HTMLDivElement>, HTMLDivElement>;
      form: React.DetailedHTMLProps<React.FormHTMLAttributes<HTMLFormElement>, HTMLFormElement>;
      input: React.DetailedHTMLProps<React.InputHTMLAttributes<HTMLInputElement>, HTMLInputElement>;
      label: React.DetailedHTMLProps<React.LabelHTMLAttributes<HTMLLabelElement>, HTMLLabelElement>;
    }
  }
}
`,
  'node_modules/@types/react/jsx-runtime.d.ts': `// STUB of @types/react 19's jsx-runtime.d.ts for test/elements-frameworks.test.ts.
import * as React from "./";
export { Fragment } from "./";

export namespace JSX {
  type ElementType = React.JSX.ElementType;
  interface Element extends React.JSX.Element {}
  interface ElementClass extends React.JSX.ElementClass {}
  interface ElementAttributesProperty extends React.JSX.ElementAttributesProperty {}
  interface ElementChildrenAttribute extends React.JSX.ElementChildrenAttribute {}
  interface IntrinsicAttributes extends React.JSX.IntrinsicAttributes {}
  interface IntrinsicClassAttributes<T> extends React.JSX.IntrinsicClassAttributes<T> {}
  interface IntrinsicElements extends React.JSX.IntrinsicElements {}
}

export function jsx (type: React.JSX.ElementType, props: unknown, key?: React.Key): React.ReactElement;
export function jsxs (type: React.JSX.ElementType, props: unknown, key?: React.Key): React.ReactElement;
`
}

const PREACT: Record<string, string> = {
  'node_modules/preact/package.json': JSON.stringify({
    name: 'preact',
    version: '10.29.0-stub',
    types: 'src/index.d.ts',
    exports: { '.': { types: './src/index.d.ts' }, './jsx-runtime': { types: './jsx-runtime/src/index.d.ts' }, './package.json': './package.json' }
  }),
  'node_modules/preact/src/index.d.ts': `// STUB of preact 10's src/index.d.ts for test/elements-frameworks.test.ts.
export = preact;
export as namespace preact;

import { JSXInternal } from './jsx';

declare namespace preact {
  export import JSX = JSXInternal;

  interface VNode<P = {}> { type: ComponentType<P> | string; props: P & { children: ComponentChildren }; key: Key }
  type Key = string | number | any;
  type RefObject<T> = { current: T | null };
  type RefCallback<T> = (instance: T | null) => void;
  type Ref<T> = RefObject<T> | RefCallback<T>;
  type ComponentChild = VNode<any> | object | string | number | bigint | boolean | null | undefined;
  type ComponentChildren = ComponentChild[] | ComponentChild;
  interface Attributes { key?: Key; jsx?: boolean }
  interface ClassAttributes<T> extends Attributes { ref?: Ref<T> }
  interface PreactDOMAttributes { children?: ComponentChildren; dangerouslySetInnerHTML?: { __html: string } }
  type ComponentType<P = {}> = FunctionComponent<P>;
  interface FunctionComponent<P = {}> { (props: P & { children?: ComponentChildren }, context?: any): VNode<any> | null }
  const Fragment: FunctionComponent<{}>;

  function createElement (type: string, props: (JSXInternal.HTMLAttributes & Record<string, any>) | null, ...children: ComponentChildren[]): VNode<any>;
  namespace createElement {
    export import JSX = JSXInternal;
  }
  function h (type: string, props: (JSXInternal.HTMLAttributes & Record<string, any>) | null, ...children: ComponentChildren[]): VNode<any>;
  namespace h {
    export import JSX = JSXInternal;
  }
}
`,
  'node_modules/preact/src/jsx.d.ts': `// STUB of preact 10's src/jsx.d.ts for test/elements-frameworks.test.ts (a few elements and attributes).
import { ClassAttributes, ComponentType, PreactDOMAttributes, VNode } from './index';

export namespace JSXInternal {
  export interface IntrinsicAttributes { key?: any }
  export type ElementType<P = any> = { [K in keyof IntrinsicElements]: P extends IntrinsicElements[K] ? K : never }[keyof IntrinsicElements] | ComponentType<P>;
  export interface Element extends VNode<any> {}
  export interface ElementChildrenAttribute { children: any }

  export interface SignalLike<T> { value: T; peek (): T; subscribe (fn: (value: T) => void): () => void }
  export type Signalish<T> = T | SignalLike<T>;
  export type TargetedEvent<Target extends EventTarget = EventTarget, TypedEvent extends Event = Event> = Omit<TypedEvent, 'currentTarget'> & { readonly currentTarget: Target };
  export type EventHandler<E extends TargetedEvent> = { bivarianceHack (this: never, event: E): void }['bivarianceHack'];

  export interface DOMAttributes<Target extends EventTarget> extends PreactDOMAttributes {
    onClick?: EventHandler<TargetedEvent<Target, MouseEvent>> | undefined;
    onError?: EventHandler<TargetedEvent<Target, Event>> | undefined;
  }
  export interface HTMLAttributes<RefType extends EventTarget = EventTarget> extends ClassAttributes<RefType>, DOMAttributes<RefType> {
    action?: Signalish<string | undefined>;
    autocomplete?: Signalish<string | undefined>;
    class?: Signalish<string | undefined>;
    for?: Signalish<string | undefined>;
    form?: Signalish<string | undefined>;
    hidden?: Signalish<boolean | undefined>;
    id?: Signalish<string | undefined>;
    lang?: Signalish<string | undefined>;
    method?: Signalish<string | undefined>;
    name?: Signalish<string | undefined>;
    slot?: Signalish<string | undefined>;
  }
  export interface IntrinsicElements {
    div: HTMLAttributes<HTMLDivElement>;
    form: HTMLAttributes<HTMLFormElement>;
    input: HTMLAttributes<HTMLInputElement>;
    label: HTMLAttributes<HTMLLabelElement>;
  }
}
`,
  'node_modules/preact/jsx-runtime/src/index.d.ts': `// STUB of preact 10's jsx-runtime/src/index.d.ts for test/elements-frameworks.test.ts.
export { Fragment } from '../../';
import { ComponentChild, VNode } from '../../';
import { JSXInternal } from '../../src/jsx';

export function jsx (type: string, props: JSXInternal.HTMLAttributes & Record<string, any> & { children?: ComponentChild }, key?: string): VNode<any>;
export function jsxs (type: string, props: JSXInternal.HTMLAttributes & Record<string, any> & { children?: ComponentChild[] }, key?: string): VNode<any>;

export { JSXInternal as JSX };
`
}

const SOLID: Record<string, string> = {
  'node_modules/solid-js/package.json': JSON.stringify({
    name: 'solid-js',
    version: '1.9.0-stub',
    types: 'types/index.d.ts',
    exports: { '.': { types: './types/index.d.ts' }, './jsx-runtime': { types: './types/jsx.d.ts' }, './package.json': './package.json' }
  }),
  'node_modules/solid-js/types/index.d.ts': `// STUB of solid-js 1's types/index.d.ts for test/elements-frameworks.test.ts.
export type { JSX } from "./jsx.js";
export declare function createSignal<T> (value: T): [() => T, (value: T) => void];
`,
  'node_modules/solid-js/types/jsx.d.ts': `// STUB of solid-js 1's types/jsx.d.ts for test/elements-frameworks.test.ts (a few elements and attributes).
export namespace JSX {
  type Element = Node | ArrayElement | (string & {}) | number | boolean | null | undefined;
  interface ArrayElement extends Array<Element> {}
  interface ElementClass {}
  interface ElementAttributesProperty {}
  interface ElementChildrenAttribute { children: {} }
  type EventHandler<T, E extends Event> = (e: E & { currentTarget: T; target: DOMElement }) => void;
  type DOMElement = Element;
  interface CustomAttributes<T> { ref?: T | ((el: T) => void); classList?: { [k: string]: boolean | undefined } }
  interface DOMAttributes<T> extends CustomAttributes<T> {
    children?: Element;
    innerHTML?: string;
    onClick?: EventHandler<T, MouseEvent>;
    "on:click"?: EventHandler<T, MouseEvent>;
  }
  interface HTMLAttributes<T> extends DOMAttributes<T> {
    class?: string | undefined;
    for?: string | undefined;
    hidden?: boolean | undefined;
    id?: string | undefined;
    lang?: string | undefined;
    slot?: string | undefined;
  }
  interface FormHTMLAttributes<T> extends HTMLAttributes<T> { action?: string; method?: string }
  interface InputHTMLAttributes<T> extends HTMLAttributes<T> { autocomplete?: string; name?: string }
  interface IntrinsicElements {
    div: HTMLAttributes<HTMLDivElement>;
    form: FormHTMLAttributes<HTMLFormElement>;
    input: InputHTMLAttributes<HTMLInputElement>;
    label: HTMLAttributes<HTMLLabelElement>;
  }
}
`
}

const SVELTE: Record<string, string> = {
  'node_modules/svelte/package.json': JSON.stringify({
    name: 'svelte',
    version: '5.0.0-stub',
    types: './types/index.d.ts',
    exports: { '.': { types: './types/index.d.ts' }, './elements': { types: './elements.d.ts' }, './package.json': './package.json' }
  }),
  'node_modules/svelte/types/index.d.ts': `// STUB of svelte 5's types for test/elements-frameworks.test.ts.
export type Snippet = { (this: void): unknown };
`,
  'node_modules/svelte/elements.d.ts': `// STUB of svelte 5's elements.d.ts for test/elements-frameworks.test.ts (a few elements and attributes).
type EventHandler<E extends Event = Event, T extends EventTarget = Element> = (event: E & { currentTarget: EventTarget & T }) => any;
export type MouseEventHandler<T extends EventTarget> = EventHandler<MouseEvent, T>;

export interface DOMAttributes<T extends EventTarget> {
  children?: import('svelte').Snippet;
  'on:click'?: MouseEventHandler<T> | undefined | null;
  onclick?: MouseEventHandler<T> | undefined | null;
  'on:error'?: EventHandler | undefined | null;
  onerror?: EventHandler | undefined | null;
}
export interface HTMLAttributes<T extends EventTarget> extends DOMAttributes<T> {
  class?: string | undefined | null;
  hidden?: boolean | undefined | null;
  id?: string | undefined | null;
  lang?: string | undefined | null;
  slot?: string | undefined | null;
  [key: \`data-\${string}\`]: any;
}
export interface HTMLInputAttributes extends HTMLAttributes<HTMLInputElement> { autocomplete?: string | null; name?: string | null }
export interface SvelteHTMLElements {
  div: HTMLAttributes<HTMLDivElement>;
  form: HTMLAttributes<HTMLFormElement>;
  input: HTMLInputAttributes;
  label: HTMLAttributes<HTMLLabelElement>;
  [name: string]: { [name: string]: any };
}
`,
  'node_modules/svelte/svelte-html.d.ts': `// STUB of svelte 5's svelte-html.d.ts (what the language server loads) for test/elements-frameworks.test.ts.
/// <reference lib="dom" />
import * as svelteElements from './elements.js';

declare global {
  namespace svelteHTML {
    function createElement<Elements extends IntrinsicElements, Key extends keyof Elements> (
      element: Key | undefined | null,
      attrs: string extends Key ? svelteElements.HTMLAttributes<any> : Elements[Key]
    ): Key extends keyof ElementTagNameMap ? ElementTagNameMap[Key] : any;
    interface HTMLAttributes<T extends EventTarget = any> {}
    interface IntrinsicElements extends svelteElements.SvelteHTMLElements {
      [name: string]: { [name: string]: any };
    }
  }
}
`
}

const VUE: Record<string, string> = {
  'node_modules/vue/package.json': JSON.stringify({ name: 'vue', version: '3.5.0-stub', types: './dist/vue.d.ts', exports: { '.': { types: './dist/vue.d.ts' }, './package.json': './package.json' } }),
  'node_modules/vue/dist/vue.d.ts': `// STUB of vue 3's dist/vue.d.ts for test/elements-frameworks.test.ts.
export * from '@vue/runtime-dom';
`,
  'node_modules/@vue/runtime-dom/package.json': JSON.stringify({ name: '@vue/runtime-dom', version: '3.5.0-stub', types: './dist/runtime-dom.d.ts', exports: { '.': { types: './dist/runtime-dom.d.ts' } } }),
  'node_modules/@vue/runtime-dom/dist/runtime-dom.d.ts': `// STUB of @vue/runtime-dom 3's declarations for test/elements-frameworks.test.ts (a few attributes).
export * from '@vue/runtime-core';
export interface HTMLAttributes {
  class?: any;
  hidden?: boolean | 'true' | 'false' | '' | 'hidden' | 'until-found' | undefined;
  id?: string | undefined;
  lang?: string | undefined;
  slot?: string | undefined;
  style?: any;
}
`,
  'node_modules/@vue/runtime-core/package.json': JSON.stringify({ name: '@vue/runtime-core', version: '3.5.0-stub', types: './dist/runtime-core.d.ts', exports: { '.': { types: './dist/runtime-core.d.ts' } } }),
  'node_modules/@vue/runtime-core/dist/runtime-core.d.ts': `// STUB of @vue/runtime-core 3's declarations for test/elements-frameworks.test.ts (the types custom elements use).
type UnionToIntersection<U> = (U extends any ? (k: U) => void : never) extends (k: infer I) => void ? I : never;
export type ObjectEmitsOptions = Record<string, ((...args: any[]) => any) | null>;
export type EmitFn<Options = ObjectEmitsOptions, Event extends keyof Options = keyof Options> =
  Options extends Array<infer V> ? (event: V, ...args: any[]) => void
    : {} extends Options ? (event: string, ...args: any[]) => void
      : UnionToIntersection<{ [key in Event]: Options[key] extends (...args: infer Args) => any ? (event: key, ...args: Args) => void : (event: key, ...args: any[]) => void }[Event]>;
export interface VNodeProps { key?: PropertyKey; ref?: unknown; ref_for?: boolean; ref_key?: string }
export interface AllowedComponentProps { class?: unknown; style?: unknown }
export interface ComponentCustomProps {}
export type PublicProps = VNodeProps & AllowedComponentProps & ComponentCustomProps;
export interface GlobalComponents {
  Teleport: new () => { $props: { to: string } };
}
`
}

// ---------------------------------------------------------------------------------------------------- usage

const REACT_OK = `import type {} from 'passkey-elements/react'
import 'passkey-elements'
import type { PasskeyEnrollElement } from 'passkey-elements'

export function SignIn ({ tenantId, apiUrl }: { tenantId: string, apiUrl: string }) {
  let enroll: PasskeyEnrollElement | null = null
  return (
    <div>
      <form id="password-form" method="post" action="/login">
        <passkey-input form="passkey-form" name="token" tenant-id={tenantId} api-url={apiUrl} refresh-interval={50}
                       onpasskey-signin={event => { const token: string = event.detail.token; console.log(token) }}
                       onpasskey-error={event => { console.log(event.detail.code, event.detail.message) }}>
          <label htmlFor="username">Username</label>
          <input id="username" name="username" autoComplete="username webauthn" required />
        </passkey-input>
      </form>
      <form id="passkey-form" method="post" action="/passkey">
        <passkey-signin-button tenantId={tenantId} apiUrl={apiUrl} action="signInWithPasskey" className="wide" lang="de"
                               messages={{ signInLabel: 'Mit Ihrem Passkey fortfahren' }}
                               onpasskey-signin={event => { event.preventDefault(); console.log(event.detail.token) }}>
          Sign in with a passkey
        </passkey-signin-button>
      </form>
      <passkey-enroll token-url="/passkeys/enrollment-token" tenant-id={tenantId} api-url={apiUrl} success-url="/passkeys"
                      ref={element => { enroll = element }}
                      onpasskey-enrolled={event => { console.log(event.detail.credentialId, event.detail.userAuthenticatorId, enroll?.tokenUrl) }}
                      onpasskey-error={event => event.detail.code === 'cancelled'} />
    </div>
  )
}
`

const REACT_WRONG = `import type {} from 'passkey-elements/react'
import type { PasskeySigninEvent } from 'passkey-elements'

export const a = <passkey-signin-button tenantID="t" />
export const b = <passkey-signin-button onpasskey-signin={event => event.detail.code} />
export const c = <passkey-enroll onpasskey-enrolled={(event: PasskeySigninEvent) => event.detail.token} />
export const d = <passkey-input messages={{ signInLable: 'x' }} />
export const e = <passkey-enroll refreshInterval={5} />
`

const PREACT_OK = `/** @jsxImportSource preact */
import type {} from 'passkey-elements/preact'
import 'passkey-elements'

export function SignIn ({ tenantId }: { tenantId: string }) {
  return (
    <div>
      <form id="password-form" method="post" action="/login">
        <passkey-input form="passkey-form" tenant-id={tenantId} api-url="https://api.authsignal.com/v1"
                       onpasskey-signin={event => console.log(event.detail.token)}
                       onpasskey-error={event => console.log(event.detail.code)}>
          <label for="username">Username</label>
          <input id="username" name="username" autocomplete="username webauthn" />
        </passkey-input>
      </form>
      <form id="passkey-form" method="post" action="/passkey">
        <passkey-signin-button tenantId={tenantId} apiUrl="https://api.authsignal.com/v1" class="wide"
                               messages={{ signInCancelled: 'Cancelled.' }}
                               onpasskey-signin={event => { event.preventDefault(); console.log(event.detail.token) }} />
      </form>
      <passkey-enroll token-url="/passkeys/enrollment-token" tenantId={tenantId} apiUrl="https://api.authsignal.com/v1"
                      ref={element => element?.enroll()}
                      onpasskey-enrolled={event => console.log(event.detail.credentialId)} />
    </div>
  )
}
`

const PREACT_WRONG = `/** @jsxImportSource preact */
import type {} from 'passkey-elements/preact'

export const a = <passkey-signin-button tenantID="t" />
export const b = <passkey-input onpasskey-signin={event => event.detail.code} />
export const c = <passkey-enroll messages={{ enrollAddedd: 'x' }} />
`

const SOLID_OK = `/** @jsxImportSource solid-js */
import type {} from 'passkey-elements/solid'
import 'passkey-elements'

export function SignIn (props: { tenantId: string }) {
  return (
    <div>
      <form id="password-form" method="post" action="/login">
        <passkey-input form="passkey-form" tenant-id={props.tenantId} api-url="https://api.authsignal.com/v1"
                       on:passkey-signin={event => console.log(event.detail.token, event.currentTarget.input?.value)}
                       on:passkey-error={event => console.log(event.detail.code)}>
          <label for="username">Username</label>
          <input id="username" name="username" autocomplete="username webauthn" />
        </passkey-input>
      </form>
      <form id="passkey-form" method="post" action="/passkey">
        <passkey-signin-button attr:tenant-id={props.tenantId} prop:apiUrl="https://api.authsignal.com/v1" class="wide"
                               prop:messages={{ signInLabel: 'Use your passkey' }}
                               on:passkey-signin={event => event.preventDefault()} />
      </form>
      <passkey-enroll token-url="/passkeys/enrollment-token" tenantId={props.tenantId} apiUrl="https://api.authsignal.com/v1"
                      ref={element => element.enroll()}
                      on:passkey-enrolled={event => console.log(event.detail.credentialId)}
                      on:passkey-error={event => console.log(event.detail.message)} />
    </div>
  )
}
`

const SOLID_WRONG = `/** @jsxImportSource solid-js */
import type {} from 'passkey-elements/solid'

export const a = <passkey-signin-button tenantID="t" />
export const b = <passkey-signin-button on:passkey-signin={event => event.detail.code} />
export const c = <passkey-enroll prop:messages={{ signInLable: 'x' }} />
`

const SVELTE_OK = `import type {} from 'passkey-elements/svelte'
import 'passkey-elements'
// What svelte2tsx makes of this component, for svelte-check:
//
//   <script lang="ts">
//     import 'passkey-elements'
//     export let tenantId: string
//   </script>
//   <passkey-signin-button tenant-id={tenantId} api-url="https://api.authsignal.com/v1" class="wide"
//     onpasskey-signin={(event) => console.log(event.detail.token)} on:passkey-error={(event) => console.log(event.detail.code)} />
//   <passkey-input form="passkey-form" tenantId={tenantId} apiUrl="…" messages={{ signInLabel: 'Use your passkey' }}>…</passkey-input>
//   <passkey-enroll token-url="/t" tenant-id={tenantId} api-url="…" on:passkey-enrolled={(event) => console.log(event.detail.credentialId)} />
declare const tenantId: string
svelteHTML.createElement('passkey-signin-button', {
  'tenant-id': tenantId,
  'api-url': 'https://api.authsignal.com/v1',
  class: 'wide',
  'onpasskey-signin': event => console.log(event.detail.token, event.currentTarget.supported),
  'on:passkey-error': event => console.log(event.detail.code)
})
svelteHTML.createElement('passkey-input', {
  form: 'passkey-form',
  tenantId,
  apiUrl: 'https://api.authsignal.com/v1',
  messages: { signInLabel: 'Use your passkey' },
  'onpasskey-signin': event => event.preventDefault()
})
svelteHTML.createElement('passkey-enroll', {
  'token-url': '/passkeys/enrollment-token',
  'tenant-id': tenantId,
  'api-url': 'https://api.authsignal.com/v1',
  'on:passkey-enrolled': event => console.log(event.detail.credentialId)
})
svelteHTML.createElement('div', { class: 'card', 'data-step': 1 })
`

const SVELTE_WRONG = `import type {} from 'passkey-elements/svelte'
svelteHTML.createElement('passkey-signin-button', { 'tenant-idd': 't' })
svelteHTML.createElement('passkey-signin-button', { 'onpasskey-signin': event => event.detail.code })
svelteHTML.createElement('passkey-enroll', { 'on:passkey-enrolled': (event: Event & { detail: { token: string } }) => event.detail.token })
`

const VUE_OK = `import type {} from 'passkey-elements/vue'
import { PasskeyEnrolledEvent, PasskeyErrorEvent } from 'passkey-elements'
import type { GlobalComponents } from 'vue'
// What vue-tsc checks for this template (with compilerOptions.isCustomElement for passkey-*):
//
//   <passkey-signin-button :tenant-id="tenantId" api-url="https://api.authsignal.com/v1" class="wide"
//                          @passkey-signin="(event) => console.log(event.detail.token)" @passkey-error="onError" />
//   <passkey-enroll token-url="/t" :tenant-id="tenantId" api-url="…" @passkey-enrolled="(event) => event.detail.credentialId" />
//
// Vue camel-cases attributes (tenant-id → tenantId) and event listeners (@passkey-signin → onPasskeySignin),
// then checks them against the component's $props, and the events against its $emit.
type PropsOf<C> = C extends new () => { $props: infer P } ? P : never
type EmitOf<C> = C extends new () => { $emit: infer E } ? E : never
declare const tenantId: string

export const signIn: PropsOf<GlobalComponents['passkey-signin-button']> = {
  tenantId,
  apiUrl: 'https://api.authsignal.com/v1',
  class: 'wide',
  key: 'signin',
  messages: { signInLabel: 'Use your passkey' },
  onPasskeySignin: event => console.log(event.detail.token),
  onPasskeyError: event => console.log(event.detail.code)
}
export const input: PropsOf<GlobalComponents['passkey-input']> = { form: 'passkey-form', tenantId, refreshInterval: 50 }
export const enroll: PropsOf<GlobalComponents['passkey-enroll']> = {
  tokenUrl: '/passkeys/enrollment-token',
  tenantId,
  apiUrl: 'https://api.authsignal.com/v1',
  onPasskeyEnrolled: event => console.log(event.detail.credentialId)
}
declare const emit: EmitOf<GlobalComponents['passkey-enroll']>
emit('passkey-enrolled', new PasskeyEnrolledEvent({ credentialId: 'c' }))
emit('passkey-error', new PasskeyErrorEvent({ code: 'cancelled', message: 'No passkey was added.' }))
declare const element: InstanceType<GlobalComponents['passkey-enroll']>
export const promise: Promise<void> = element.enroll()
`

const VUE_WRONG = `import type {} from 'passkey-elements/vue'
import { PasskeySigninEvent } from 'passkey-elements'
import type { GlobalComponents } from 'vue'
type PropsOf<C> = C extends new () => { $props: infer P } ? P : never
type EmitOf<C> = C extends new () => { $emit: infer E } ? E : never
export const a: PropsOf<GlobalComponents['passkey-signin-button']> = { tenantID: 't' }
export const b: PropsOf<GlobalComponents['passkey-signin-button']> = { onPasskeySignin: event => event.detail.code }
declare const emit: EmitOf<GlobalComponents['passkey-enroll']>
emit('passkey-signin', new PasskeySigninEvent({ token: 't' }))
`

// ---------------------------------------------------------------------------------------------------- harness
//
// One consumer project holds every framework's stubs and files, each JSX file naming its JSX runtime
// (`@jsxImportSource`, React's by default), so three compilations check them all: the usage under `bundler`
// and `nodenext` resolution, and the mistakes.

interface Framework {
  name: string
  stubs: Record<string, string>
  ext: 'tsx' | 'ts'
  ok: string
  wrong: string
  /** What tsc says about the mistakes of `wrong`. */
  errors: RegExp[]
}

const FRAMEWORKS: Framework[] = [
  {
    name: 'react',
    stubs: REACT,
    ext: 'tsx',
    ok: REACT_OK,
    wrong: REACT_WRONG,
    errors: [
      /Property 'tenantID' does not exist on type/,
      /Property 'code' does not exist on type 'PasskeySigninDetail'/,
      /Type '\(event: PasskeySigninEvent\) => string' is not assignable to type '\(event: PasskeyEnrolledEvent\) => void'/,
      /'signInLable' does not exist in type 'Partial<PasskeyMessages>'/,
      /Property 'refreshInterval' does not exist on type/
    ]
  },
  {
    name: 'preact',
    stubs: PREACT,
    ext: 'tsx',
    ok: PREACT_OK,
    wrong: PREACT_WRONG,
    errors: [
      /Property 'tenantID' does not exist on type/,
      /Property 'code' does not exist on type 'PasskeySigninDetail'/,
      /'enrollAddedd' does not exist in type 'Partial<PasskeyMessages>'/
    ]
  },
  {
    name: 'solid',
    stubs: SOLID,
    ext: 'tsx',
    ok: SOLID_OK,
    wrong: SOLID_WRONG,
    errors: [
      /Property 'tenantID' does not exist on type/,
      /Property 'code' does not exist on type 'PasskeySigninDetail'/,
      /'signInLable' does not exist in type 'Partial<PasskeyMessages>'/
    ]
  },
  {
    name: 'svelte',
    stubs: SVELTE,
    ext: 'ts',
    ok: SVELTE_OK,
    wrong: SVELTE_WRONG,
    errors: [
      /tenant-idd'+ does not exist in type 'PasskeySvelteProps<"passkey-signin-button">'/,
      /Property 'code' does not exist on type 'PasskeySigninDetail'/,
      /Types of parameters 'event' and 'event' are incompatible/
    ]
  },
  {
    name: 'vue',
    stubs: VUE,
    ext: 'ts',
    ok: VUE_OK,
    wrong: VUE_WRONG,
    errors: [
      /'tenantID' does not exist in type/,
      /Property 'code' does not exist on type 'PasskeySigninDetail'/,
      /Argument of type '"passkey-signin"' is not assignable to parameter of type '"passkey-enrolled"'|No overload matches this call/
    ]
  }
]

/**
 * A consumer project outside the repository with the stubs and a copy of the package's manifest and types in
 * `node_modules/passkey-elements` (a copy, not a link: the typings must find the consumer's framework, as
 * they do once installed, not whatever the repository's own node_modules hold).
 */
async function consumer (t: Test, files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'passkey-elements-frameworks-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const installed = join(dir, 'node_modules', 'passkey-elements')
  await mkdir(join(installed, 'dist'), { recursive: true })
  await cp(join(PACKAGE_DIR, 'package.json'), join(installed, 'package.json'))
  await cp(join(PACKAGE_DIR, 'dist', 'types'), join(installed, 'dist', 'types'), { recursive: true })
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true })
    await writeFile(join(dir, name), text)
  }
  return dir
}

async function tsc (dir: string, project: string): Promise<{ code: number, output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [TSC, '-p', project], { cwd: dir })
    return { code: 0, output: stdout + stderr }
  } catch (error) {
    const failed = error as { code?: number, stdout?: string, stderr?: string }
    return { code: typeof failed.code === 'number' ? failed.code : 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` }
  }
}

const okFile = (f: Framework): string => `${f.name}-ok.${f.ext}`
const wrongFile = (f: Framework): string => `${f.name}-wrong.${f.ext}`
const tsconfig = (files: string[], moduleResolution: 'bundler' | 'nodenext'): string => JSON.stringify({
  compilerOptions: {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    target: 'es2022',
    lib: ['es2022', 'dom'],
    types: [],
    module: moduleResolution === 'nodenext' ? 'nodenext' : 'esnext',
    moduleResolution,
    jsx: 'react-jsx'
  },
  // The Svelte language server's globals (svelteHTML), as svelte-check loads them.
  files: ['node_modules/svelte/svelte-html.d.ts', ...files]
})

const dir = await consumer(t, {
  ...Object.assign({}, ...FRAMEWORKS.map(f => f.stubs)),
  ...Object.fromEntries(FRAMEWORKS.flatMap(f => [[okFile(f), f.ok], [wrongFile(f), f.wrong]])),
  'tsconfig.ok.json': tsconfig(FRAMEWORKS.map(okFile), 'bundler'),
  'tsconfig.ok-nodenext.json': tsconfig(FRAMEWORKS.map(okFile), 'nodenext'),
  'tsconfig.wrong.json': tsconfig(FRAMEWORKS.map(wrongFile), 'bundler')
})
const [ok, okNodenext, wrong] = await Promise.all(['tsconfig.ok.json', 'tsconfig.ok-nodenext.json', 'tsconfig.wrong.json'].map(async project => await tsc(dir, project)))
const errorLines = wrong!.output.split('\n').filter(line => /error TS\d+/.test(line))
/** Each error with the lines that explain it (tsc indents them under the error). */
const errorBlocks = wrong!.output.split(/\n(?=\S)/).filter(block => /error TS\d+/.test(block))

t.test('every framework\'s usage compiles under --strict, the typings and the stubs included (no skipLibCheck)', async t => {
  t.equal(ok!.code, 0, `bundler resolution\n${ok!.output}`)
  t.equal(okNodenext!.code, 0, `nodenext resolution\n${okNodenext!.output}`)
  t.not(wrong!.code, 0, 'the mistakes do not')
  t.same(errorLines.filter(line => !/^[a-z]+-wrong\.tsx?\(/.test(line)), [], 'no error in the typings or the stubs')
})

for (const framework of FRAMEWORKS) {
  t.test(`${framework.name}: a misspelt property or message key and a wrong use of an event do not compile`, async t => {
    const mine = errorBlocks.filter(block => block.startsWith(`${wrongFile(framework)}(`)).join('\n').replace(/\n\s+/g, ' ')
    for (const error of framework.errors) t.match(mine, error, `caught: ${error.source}`)
    const mistakes = framework.wrong.split('\n').map((line, index) => ({ line, number: index + 1 })).filter(({ line }) => /^(export const|svelteHTML|emit\()/.test(line))
    t.ok(mistakes.length >= 3)
    for (const { line, number } of mistakes) {
      t.ok(errorLines.some(l => l.startsWith(`${wrongFile(framework)}(${number},`)), `line ${number} is an error: ${line.trim()}`)
    }
  })
}

t.test('the framework typings are types only: no JavaScript behind the subpaths, and no framework is imported by the package', async t => {
  const pkg = JSON.parse(await readFile(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { exports: Record<string, unknown>, dependencies?: unknown, peerDependencies?: unknown }
  for (const name of ['react', 'preact', 'vue', 'svelte', 'solid']) {
    t.same(pkg.exports[`./${name}`], { types: `./dist/types/${name}.d.ts` }, `passkey-elements/${name}: a types condition only`)
  }
  t.equal(pkg.dependencies, undefined)
  t.equal(pkg.peerDependencies, undefined)
})
