// How the two token routes turn acceptToken's answer into what the browser sees.
import type { FastifyRequest } from 'fastify'
import type { Acceptance, AcceptTokenDeps } from '../accept-token.js'
import type { MessageKey } from '../messages.js'
import type { ResolvedOptions } from '../options.js'

export const acceptDeps = (options: ResolvedOptions, request: FastifyRequest): AcceptTokenDeps => ({
  authsignal: options.authsignal,
  accounts: options.accounts,
  usedTokens: options.usedTokens,
  timeoutMs: options.authsignalTimeoutMs,
  maxAgeSeconds: options.tokenMaxAgeSeconds,
  usedTokenTtlSeconds: options.usedTokenTtlSeconds,
  log: request.log
})

/** A refused token: 503 when Authsignal could not answer, else 400; the same words for every other reason. */
export const refusal = (result: Exclude<Acceptance, { accepted: true }>): { status: number, error: MessageKey } =>
  result.reason === 'unavailable' ? { status: 503, error: 'unavailable' } : { status: 400, error: 'token' }

/** Amr values (RFC 8176) for the second factor Authsignal verified. */
export const methodAmr = (method: string | undefined): string[] =>
  method === 'PASSKEY' ? ['hwk'] : method === 'AUTHENTICATOR_APP' ? ['otp'] : []
