// The id rules, in one place. @authsignal/node builds its URLs by interpolating ids without encoding
// (docs/security.md, F4), so every id that reaches it must stay one path segment: letters, digits, `-`, `_`.

/** An account id: the OIDC `sub`, and the Authsignal userId. */
export const USER_ID = /^[A-Za-z0-9_-]{1,64}$/
/** An Authsignal action code. */
export const ACTION_CODE = /^[a-zA-Z0-9_-]{1,64}$/
/** An Authsignal tenant id. */
export const TENANT_ID = /^[A-Za-z0-9_-]{1,128}$/
/** An oidc-provider interaction uid (its nanoid) as it appears in interaction URLs. */
export const INTERACTION_UID = /^[A-Za-z0-9_-]{1,64}$/
/** An Authsignal userAuthenticatorId. */
export const AUTHENTICATOR_ID = /^[A-Za-z0-9_-]{1,128}$/

export const isUserId = (value: unknown): value is string => typeof value === 'string' && USER_ID.test(value)

/** The JSON-schema form of a rule, for route schemas. */
export const patternOf = (rule: RegExp): string => rule.source
