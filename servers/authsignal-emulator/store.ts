// The emulator's state: users, authenticators, actions and WebAuthn challenges, kept in memory and
// written to a JSON file after every change (atomically: temp file + rename), so a restart loses nothing.
import { randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

export type ActionState =
  | 'ALLOW' | 'BLOCK' | 'CHALLENGE_REQUIRED' | 'CHALLENGE_SUCCEEDED' | 'CHALLENGE_FAILED'
  | 'REVIEW_REQUIRED' | 'REVIEW_SUCCEEDED' | 'REVIEW_FAILED'

export type VerificationMethod = 'PASSKEY' | 'AUTHENTICATOR_APP' | 'EMAIL_OTP' | 'SMS'

export interface UserRecord {
  userId: string
  username?: string
  email?: string
  phoneNumber?: string
  displayName?: string
  custom?: Record<string, unknown>
  /** Set by `updateUser` (the Node SDK sends and reads them); false when never set. */
  emailVerified?: boolean
  phoneNumberVerified?: boolean
  locale?: string
  /** Set by `updateUser` (the Java SDK's UserAttributes); used when the user has that method enrolled. */
  defaultVerificationMethod?: VerificationMethod
  createdAt: string
}

export interface PasskeyCredential {
  credentialId: string // base64url
  publicKey: string // base64url COSE key
  counter: number
  transports: string[]
  aaguid: string
  backedUp: boolean
  deviceType: 'singleDevice' | 'multiDevice'
  attachment?: 'platform' | 'cross-platform'
  name: string
  userAgent?: string
}

export interface AuthenticatorRecord {
  userAuthenticatorId: string
  userId: string
  verificationMethod: VerificationMethod
  createdAt: string
  /** Absent while a TOTP enrollment waits for its first code. */
  verifiedAt?: string
  lastVerifiedAt?: string
  passkey?: PasskeyCredential
  totp?: { secret: string, lastUsedStep: number }
  /** EMAIL_OTP: where codes are sent. */
  email?: string
  /** SMS: where codes are sent. */
  phoneNumber?: string
  /** Absent for enrollments that are not pending (verified ones); a pending one is dropped after it. */
  pendingUntil?: number
}

export interface ActionRecord {
  userId: string
  actionCode: string
  idempotencyKey: string
  state: ActionState
  createdAt: string
  stateUpdatedAt: string
  verificationMethod?: VerificationMethod
  scope: string
  redirectUrl?: string
  failedAttempts: number
  /** When a ceremony (challenge or enrollment) completed the action, whatever state that left it in. */
  completedAt?: string
  /** Set by the `singleUseValidate` knob on the first successful validation. */
  consumedAt?: string
}

export interface OtpChallenge {
  method: 'EMAIL_OTP' | 'SMS'
  /** Where the code was sent. */
  to: string
  /** SHA-256 of the code (base64url): the code itself is only in the outbox. */
  codeHash: string
  attempts: number
  /** The authenticator the code is for (a pending one during enrollment). */
  authenticatorId?: string
  /** Server API challenges (`POST /challenge`): no token, verified with `/verify`, then claimed. */
  server: boolean
  idempotencyKey?: string
  scope?: string
  verifiedAt?: string
  claimedAt?: string
}

export interface ChallengeRecord {
  challengeId: string
  kind: 'registration' | 'authentication' | 'action' | 'otp'
  /** base64url WebAuthn challenge (absent for a bare `/client/challenge` action reservation). */
  challenge?: string
  expiresAt: number
  /** Registration and token-bound authentication: the user the ceremony belongs to. */
  userId?: string
  /** Key of the action the token that asked for it belongs to. */
  actionKey?: string
  /** `/client/challenge`: the action a later passkey sign-in is recorded under (also a code challenge's action). */
  actionCode?: string
  /** Email and SMS code challenges. */
  otp?: OtpChallenge
}

interface Snapshot {
  version: 1
  users: UserRecord[]
  authenticators: AuthenticatorRecord[]
  actions: ActionRecord[]
  challenges: ChallengeRecord[]
}

export const actionKey = (userId: string, actionCode: string, idempotencyKey: string): string =>
  JSON.stringify([userId, actionCode, idempotencyKey])

export class EmulatorStore {
  readonly users = new Map<string, UserRecord>()
  readonly authenticators = new Map<string, AuthenticatorRecord>()
  readonly actions = new Map<string, ActionRecord>()
  readonly challenges = new Map<string, ChallengeRecord>()
  readonly #file: string | null
  #writing: Promise<void> = Promise.resolve()
  #queued: Promise<void> | null = null

  /** `file` is a path, or `:memory:` for no persistence. */
  constructor (file: string) {
    this.#file = file === ':memory:' ? null : file
    if (this.#file != null) this.#load(this.#file)
  }

  #load (file: string): void {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
      throw error
    }
    let snapshot: Snapshot
    try {
      snapshot = JSON.parse(text) as Snapshot
    } catch (error) {
      throw new Error(`emulator data file ${file} is not valid JSON (${(error as Error).message}); fix or remove it`)
    }
    if (snapshot?.version !== 1) throw new Error(`emulator data file ${file} has unknown version ${String(snapshot?.version)}`)
    for (const u of snapshot.users) this.users.set(u.userId, u)
    for (const a of snapshot.authenticators) this.authenticators.set(a.userAuthenticatorId, a)
    for (const a of snapshot.actions) this.actions.set(actionKey(a.userId, a.actionCode, a.idempotencyKey), a)
    for (const c of snapshot.challenges) this.challenges.set(c.challengeId, c)
  }

  #snapshot (): string {
    const now = Date.now()
    for (const [id, c] of this.challenges) if (c.expiresAt < now) this.challenges.delete(id)
    const snapshot: Snapshot = {
      version: 1,
      users: [...this.users.values()],
      authenticators: [...this.authenticators.values()],
      actions: [...this.actions.values()],
      challenges: [...this.challenges.values()]
    }
    return JSON.stringify(snapshot)
  }

  /**
   * Persists the current state. Writes are serialised and coalesced: callers that arrive while a write
   * runs share the one queued after it, which snapshots the state as it is when it starts.
   */
  async save (): Promise<void> {
    const file = this.#file
    if (file == null) return
    if (this.#queued != null) return await this.#queued
    const next = this.#writing.then(async () => {
      this.#queued = null
      const tmp = `${file}.${process.pid}.tmp`
      await writeFile(tmp, this.#snapshot(), { mode: 0o600 })
      await rename(tmp, file)
    })
    this.#queued = next
    this.#writing = next.catch(() => {})
    return await next
  }

  /** Synchronous save, for process exit. */
  saveSync (): void {
    if (this.#file == null) return
    mkdirSync(dirname(this.#file), { recursive: true })
    const tmp = `${this.#file}.${process.pid}.tmp`
    writeFileSync(tmp, this.#snapshot(), { mode: 0o600 })
    renameSync(tmp, this.#file)
  }

  ensureDir (): void {
    if (this.#file != null) mkdirSync(dirname(this.#file), { recursive: true })
  }

  // ---- users ----

  upsertUser (userId: string, attributes: Partial<Omit<UserRecord, 'userId' | 'createdAt'>> = {}): UserRecord {
    const existing = this.users.get(userId)
    const defined = Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== undefined))
    const user: UserRecord = { ...(existing ?? { userId, createdAt: new Date().toISOString() }), ...defined }
    this.users.set(userId, user)
    return user
  }

  deleteUser (userId: string): void {
    this.users.delete(userId)
    for (const [id, a] of this.authenticators) if (a.userId === userId) this.authenticators.delete(id)
    for (const [key, a] of this.actions) if (a.userId === userId) this.actions.delete(key)
  }

  // ---- authenticators ----

  /** Verified authenticators of a user (a TOTP enrollment that never got its first code does not count). */
  authenticatorsOf (userId: string): AuthenticatorRecord[] {
    return [...this.authenticators.values()]
      .filter(a => a.userId === userId && a.verifiedAt != null)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  }

  /**
   * The user's pending (started, never verified) enrollment of a method, if it has not expired. Expired
   * ones are removed on the way.
   */
  pendingOf (userId: string, method: VerificationMethod, now = Date.now()): AuthenticatorRecord | undefined {
    let found: AuthenticatorRecord | undefined
    for (const [id, a] of this.authenticators) {
      if (a.userId !== userId || a.verifiedAt != null) continue
      if (a.pendingUntil == null || a.pendingUntil <= now) { this.authenticators.delete(id); continue }
      if (a.verificationMethod === method) found = a
    }
    return found
  }

  pendingTotpOf (userId: string): AuthenticatorRecord | undefined {
    return this.pendingOf(userId, 'AUTHENTICATOR_APP')
  }

  /** Drops every pending enrollment of the user (except `keep`): one was verified, or the user moved on. */
  dropPending (userId: string, keep?: string): void {
    for (const [id, a] of this.authenticators) if (a.userId === userId && a.verifiedAt == null && id !== keep) this.authenticators.delete(id)
  }

  /** An authenticator becomes verified: from now on it counts, and the user's other pending enrollments go. */
  markVerified (authenticator: AuthenticatorRecord, at = new Date().toISOString()): void {
    authenticator.verifiedAt = at
    delete authenticator.pendingUntil
    this.dropPending(authenticator.userId, authenticator.userAuthenticatorId)
  }

  findPasskey (credentialId: string): AuthenticatorRecord | undefined {
    for (const a of this.authenticators.values()) if (a.passkey?.credentialId === credentialId) return a
    return undefined
  }

  enrolledMethods (userId: string): VerificationMethod[] {
    return [...new Set(this.authenticatorsOf(userId).map(a => a.verificationMethod))]
  }

  /** Adds an authenticator: verified (`verifiedAt` set: pending ones of the user are dropped) or pending (`pendingUntil`). */
  addAuthenticator (record: Omit<AuthenticatorRecord, 'userAuthenticatorId' | 'createdAt'>): AuthenticatorRecord {
    const full: AuthenticatorRecord = { userAuthenticatorId: randomUUID(), createdAt: new Date().toISOString(), ...record }
    if (full.verifiedAt == null && full.pendingUntil == null) throw new TypeError('a pending authenticator needs pendingUntil')
    this.authenticators.set(full.userAuthenticatorId, full)
    if (full.verifiedAt != null) this.dropPending(full.userId, full.userAuthenticatorId)
    return full
  }

  // ---- actions ----

  getAction (userId: string, actionCode: string, idempotencyKey: string): ActionRecord | undefined {
    return this.actions.get(actionKey(userId, actionCode, idempotencyKey))
  }

  putAction (action: ActionRecord): ActionRecord {
    this.actions.set(actionKey(action.userId, action.actionCode, action.idempotencyKey), action)
    return action
  }

  setActionState (action: ActionRecord, state: ActionState, verificationMethod?: VerificationMethod): void {
    action.state = state
    action.stateUpdatedAt = new Date().toISOString()
    if (verificationMethod != null) action.verificationMethod = verificationMethod
  }

  // ---- challenges ----

  putChallenge (record: Omit<ChallengeRecord, 'challengeId'>): ChallengeRecord {
    const full = { challengeId: randomUUID(), ...record }
    this.challenges.set(full.challengeId, full)
    return full
  }

  /** Single use: a challenge is removed the moment it is looked up for verification, whatever the outcome. */
  takeChallenge (challengeId: string, kind: ChallengeRecord['kind']): ChallengeRecord | undefined {
    const record = this.challenges.get(challengeId)
    if (record == null || record.kind !== kind) return undefined
    this.challenges.delete(challengeId)
    return record.expiresAt >= Date.now() ? record : undefined
  }
}
