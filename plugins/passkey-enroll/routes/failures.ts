// One log line per refused passkey change where the account is known, for incident response (issue 12,
// finding 5; docs/security.md "Failed sign-ins in the logs"): `event: 'enroll-refused'`, the reason, the
// source address and `account`, a keyed hash of the account id — the same reference fastify-passkey-login
// writes for that account, because both derive the key the same way from the Authsignal API secret (see its
// routes/failures.ts). Never the id itself, a token or a cookie.
import { createHmac, randomBytes } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { ResolvedOptions } from '../options.js'

/** fastify-passkey-login's label: one account, one reference, in both plugins' lines. */
const ACCOUNT_REFERENCE_LABEL = 'fastify-passkey account reference v1'

export type EnrollRefusal = 'reauthentication-required' | 'rate-limited' | 'passkey-not-found'

export interface EnrollRefusals {
  refused (request: FastifyRequest, reason: EnrollRefusal, userId: string): void
}

const cache = new WeakMap<object, EnrollRefusals>()
let processKey: Buffer | undefined

export function enrollRefusals (options: ResolvedOptions): EnrollRefusals {
  const existing = cache.get(options)
  if (existing != null) return existing
  const secret = (options.authsignal as { apiSecretKey?: unknown }).apiSecretKey
  const fromSecret = typeof secret === 'string' && secret !== ''
  const key = fromSecret ? createHmac('sha256', secret).update(ACCOUNT_REFERENCE_LABEL).digest() : (processKey ??= randomBytes(32))
  let warned = fromSecret
  const refusals: EnrollRefusals = {
    refused (request, reason, userId) {
      if (!warned) {
        warned = true
        request.log.warn({ event: 'enroll-refused-key' }, 'passkey-enroll: the Authsignal client has no apiSecretKey; account references use a per-process key (they change at restart)')
      }
      request.log.warn({
        event: 'enroll-refused',
        reason,
        ip: request.ip,
        account: createHmac('sha256', key).update(userId).digest('base64url').slice(0, 16),
        accountFrom: 'id'
      }, 'passkey-enroll: passkey change refused')
    }
  }
  cache.set(options, refusals)
  return refusals
}
