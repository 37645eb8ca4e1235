// What every interaction route shares: its context, the schema pieces, and the request-log serializer.
import { INTERACTION_UID, logSerializers, type KeyedLimiter } from 'fastify-passkey-core'
import { MAX_TOKEN_LENGTH } from '../accept-token.js'
import type { Interactions } from '../interaction.js'
import type { ResolvedOptions } from '../options.js'

export interface RouteContext {
  options: ResolvedOptions
  interactions: Interactions
  /** Password attempts per username (absent when rate limits are off). */
  passwordLimit?: KeyedLimiter | undefined
}

export const BODY_LIMIT = 16 * 1024

export const uidParams = {
  type: 'object',
  required: ['uid'],
  additionalProperties: false,
  properties: { uid: { type: 'string', pattern: INTERACTION_UID.source } }
} as const

/** Routes that take no query string refuse one: a parameter no route reads is bad input, not something to ignore. */
export const NO_QUERY = { type: 'object', additionalProperties: false, maxProperties: 0 } as const

/** Type and length only: a token of the wrong shape is a failed sign-in (the login page), not a bad request. */
export const tokenField = { type: 'string', minLength: 1, maxLength: MAX_TOKEN_LENGTH } as const

/** The MFA return carries `?token=` in its request line: masked in the logs whatever the host's logger does (F5). */
export const routeLog = { logSerializers: { req: logSerializers.req, err: logSerializers.err } }
