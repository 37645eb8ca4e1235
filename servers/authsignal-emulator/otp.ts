// One-time codes by email and SMS: the emulator's EMAIL_OTP and SMS authenticators (Client API: enroll,
// challenge, verify with a track token) and the Server API's own challenges (`POST /challenge`, `/verify`,
// `/claim`). A code is six random digits, valid for the challenge lifetime, stored only as a hash, usable
// once; it is "sent" to the outbox. A pending enrollment follows the rule of every enrollment: it is
// started and finished only with a token that may enroll (`mayEnroll`), and it expires.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto'
import type { EmulatorContext } from './context.js'
import type { OutboxChannel } from './outbox.js'
import { maskDestination } from './outbox.js'
import type { ChallengeRecord } from './store.js'

export type OtpMethod = 'EMAIL_OTP' | 'SMS'

export const channelOf = (method: OtpMethod): OutboxChannel => method === 'EMAIL_OTP' ? 'email' : 'sms'

const hashCode = (code: string): string => createHash('sha256').update(code).digest('base64url')

export function codeMatches (challenge: ChallengeRecord, code: string): boolean {
  const expected = challenge.otp?.codeHash
  if (expected == null || !/^\d{6}$/.test(code)) return false
  return timingSafeEqual(Buffer.from(hashCode(code)), Buffer.from(expected))
}

/**
 * Creates a code challenge and puts its message in the outbox. A new code for the same action (or the same
 * server challenge id) replaces the previous one: only the newest code works.
 */
export function sendCode (ctx: EmulatorContext, input: {
  method: OtpMethod
  to: string
  purpose: 'enrollment' | 'challenge' | 'server'
  userId?: string
  actionKey?: string
  actionCode?: string
  authenticatorId?: string
  idempotencyKey?: string
  scope?: string
}, log?: { info: (o: object, m: string) => void }): ChallengeRecord {
  const { store, options } = ctx
  if (input.actionKey != null) {
    for (const [id, c] of store.challenges) if (c.kind === 'otp' && c.actionKey === input.actionKey && c.otp?.method === input.method) store.challenges.delete(id)
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
  const expiresAt = Date.now() + options.challengeTtlSeconds * 1000
  const record = store.putChallenge({
    kind: 'otp',
    expiresAt,
    userId: input.userId,
    actionKey: input.actionKey,
    actionCode: input.actionCode,
    otp: {
      method: input.method,
      to: input.to,
      codeHash: hashCode(code),
      attempts: 0,
      ...(input.authenticatorId != null ? { authenticatorId: input.authenticatorId } : {}),
      ...(input.idempotencyKey != null ? { idempotencyKey: input.idempotencyKey } : {}),
      ...(input.scope != null ? { scope: input.scope } : {}),
      server: input.purpose === 'server'
    }
  })
  ctx.outbox.send({
    channel: channelOf(input.method),
    to: input.to,
    code,
    purpose: input.purpose,
    ...(input.userId != null ? { userId: input.userId } : {}),
    ...(input.actionCode != null ? { action: input.actionCode } : {}),
    expiresAt: new Date(expiresAt).toISOString()
  }, options.rpName)
  log?.info({ channel: channelOf(input.method), to: maskDestination(input.to) }, 'emulator: code sent to the outbox (GET /__emulator/outbox)')
  return record
}

/** The newest live code challenge of a token's action for a method. */
export function activeCodeChallenge (ctx: EmulatorContext, actionKey: string, method: OtpMethod): ChallengeRecord | undefined {
  let found: ChallengeRecord | undefined
  const now = Date.now()
  for (const [id, c] of ctx.store.challenges) {
    if (c.kind !== 'otp' || c.otp == null || c.otp.server) continue
    if (c.expiresAt < now) { ctx.store.challenges.delete(id); continue }
    if (c.actionKey === actionKey && c.otp.method === method) found = c
  }
  return found
}
