// What markup can set on each element and the events it fires, in one place, for the framework typings
// (passkey-elements/react, /preact, /vue, /svelte, /solid map this to their own JSX and template types).
// Types only: nothing here exists at run time.
import type { PasskeyEnrolledEvent, PasskeyErrorEvent, PasskeySigninEvent } from './events.js'
import type { PasskeyEnrollElement } from './passkey-enroll.js'
import type { PasskeyInputElement } from './passkey-input.js'
import type { PasskeySigninButtonElement } from './passkey-signin-button.js'

/** `<passkey-input>`'s attributes, as a server renders them. */
export interface PasskeyInputAttributes {
  name?: string
  'tenant-id'?: string
  'api-url'?: string
  action?: string
  form?: string
  'refresh-interval'?: number | string
}

/** `<passkey-signin-button>`'s attributes. */
export interface PasskeySigninButtonAttributes {
  name?: string
  'tenant-id'?: string
  'api-url'?: string
  action?: string
  form?: string
}

/** `<passkey-enroll>`'s attributes. */
export interface PasskeyEnrollAttributes {
  'token-url'?: string
  'tenant-id'?: string
  'api-url'?: string
  'reauthenticate-url'?: string
  'success-url'?: string
}

/** `<passkey-input>`'s settable properties. */
export type PasskeyInputProperties = Partial<Pick<PasskeyInputElement, 'name' | 'tenantId' | 'apiUrl' | 'action' | 'refreshInterval' | 'authsignal' | 'messages'>> & { form?: string }

/** `<passkey-signin-button>`'s settable properties. */
export type PasskeySigninButtonProperties = Partial<Pick<PasskeySigninButtonElement, 'name' | 'tenantId' | 'apiUrl' | 'action' | 'authsignal' | 'messages'>> & { form?: string }

/** `<passkey-enroll>`'s settable properties. */
export type PasskeyEnrollProperties = Partial<Pick<PasskeyEnrollElement, 'tokenUrl' | 'tenantId' | 'apiUrl' | 'reauthenticateUrl' | 'successUrl' | 'authsignal' | 'messages'>>

/** The events `<passkey-input>` and `<passkey-signin-button>` fire. */
export interface PasskeySigninEvents {
  'passkey-signin': PasskeySigninEvent
  'passkey-error': PasskeyErrorEvent
}

/** The events `<passkey-enroll>` fires. */
export interface PasskeyEnrollEvents {
  'passkey-enrolled': PasskeyEnrolledEvent
  'passkey-error': PasskeyErrorEvent
}

/** Each element: its class, its attributes, its settable properties and its events. */
export interface PasskeyElements {
  'passkey-input': { element: PasskeyInputElement, attributes: PasskeyInputAttributes, properties: PasskeyInputProperties, events: PasskeySigninEvents }
  'passkey-signin-button': { element: PasskeySigninButtonElement, attributes: PasskeySigninButtonAttributes, properties: PasskeySigninButtonProperties, events: PasskeySigninEvents }
  'passkey-enroll': { element: PasskeyEnrollElement, attributes: PasskeyEnrollAttributes, properties: PasskeyEnrollProperties, events: PasskeyEnrollEvents }
}
