// Where the emulator "sends" email and SMS codes: a list in memory instead of a mail or SMS provider, read
// through `GET /__emulator/outbox` (JSON) and `/__emulator/outbox.html` (a page), both behind the API secret
// — as Firebase's Auth emulator lists the codes it would have sent. Newest first, at most 200 messages;
// nothing here is persisted, and no code ever reaches a log.
import { randomUUID } from 'node:crypto'

export type OutboxChannel = 'email' | 'sms'

export interface OutboxMessage {
  id: string
  channel: OutboxChannel
  /** The email address or E.164 phone number. */
  to: string
  code: string
  /** `enrollment` (a new authenticator's first code), `challenge` (an enrolled one), `server` (`POST /challenge`). */
  purpose: 'enrollment' | 'challenge' | 'server'
  userId?: string
  action?: string
  /** What a real message would say. */
  text: string
  sentAt: string
  expiresAt: string
}

const LIMIT = 200

export class Outbox {
  readonly #messages: OutboxMessage[] = []

  send (message: Omit<OutboxMessage, 'id' | 'sentAt' | 'text'>, rpName: string): OutboxMessage {
    const full: OutboxMessage = {
      id: randomUUID(),
      ...message,
      text: `${message.code} is your ${rpName} verification code. It expires in ${Math.round((Date.parse(message.expiresAt) - Date.now()) / 60_000)} minutes.`,
      sentAt: new Date().toISOString()
    }
    this.#messages.unshift(full)
    this.#messages.splice(LIMIT)
    return full
  }

  /** Newest first; `to` filters by recipient (case-insensitive). */
  list (to?: string): OutboxMessage[] {
    const wanted = to?.toLowerCase()
    return this.#messages.filter(m => wanted == null || m.to.toLowerCase() === wanted)
  }

  /** The code of the newest message to `to` (for tests and scripts). */
  latestCode (to: string): string | undefined {
    return this.list(to)[0]?.code
  }

  clear (): void {
    this.#messages.length = 0
  }
}

/** `a***@example.com`, `+64 *** **00`: enough to recognise, not to read (the hosted page, log lines). */
export function maskDestination (to: string): string {
  const at = to.indexOf('@')
  if (at > 0) return `${to[0] ?? ''}***${to.slice(at)}`
  return `${to.slice(0, 3)}${'*'.repeat(Math.max(0, to.length - 5))}${to.slice(-2)}`
}
