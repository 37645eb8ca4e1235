// What the plugin's routes share: their context and the schemas of what they answer. A response schema
// also bounds what can ever leave (fast-json-stringify drops any other field).
import type { KeyedLimiter } from 'fastify-passkey-core'
import type { PasskeyEnrollApi } from '../api.js'
import type { ResolvedOptions } from '../options.js'

export interface RouteContext {
  options: ResolvedOptions
  api: PasskeyEnrollApi
  /** Enrollment tokens per user (absent when rate limits are off). */
  tokenLimit?: KeyedLimiter | undefined
}

const REFUSAL = {
  type: 'object',
  required: ['error', 'message'],
  additionalProperties: false,
  properties: { error: { type: 'string' }, message: { type: 'string' } }
} as const
export const REFUSALS = { '4xx': REFUSAL, '5xx': REFUSAL } as const
export const NO_QUERY = { type: 'object', additionalProperties: false, maxProperties: 0 } as const
export const PASSKEY = {
  type: 'object',
  required: ['id', 'name', 'createdAt', 'synced'],
  additionalProperties: false,
  properties: { id: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string' }, lastUsedAt: { type: 'string' }, synced: { type: 'boolean' } }
} as const
