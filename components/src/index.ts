// `passkey-elements`: defines all three elements and exports their classes, their events and the types of
// their API. Not a build entry: the build writes dist/index.js, which re-exports the three element
// modules (build/package-files.ts); this file gives it its types (dist/types/index.d.ts).
export * from './passkey-input.js'
export * from './passkey-signin-button.js'
export * from './passkey-enroll.js'
export type * from './framework-types.js'
