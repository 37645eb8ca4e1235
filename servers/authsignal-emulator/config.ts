// Emulator configuration: typed options for build(), and their reading from the environment with
// documented development defaults. Bad values fail at start with a message naming the variable.
import type { FaultRule } from './faults.js'
import { parseHost } from './hosts.js'

export type ActionOutcome = 'ALLOW' | 'BLOCK' | 'CHALLENGE' | 'REVIEW'

export interface EmulatorOptions {
  /** Server API secret (Basic auth username). */
  secret: string
  /** Tenant id the browser SDK sends (Basic auth on the Client API). */
  tenantId: string
  /** WebAuthn relying party id. @default 'localhost' */
  rpId?: string
  /** @default 'Passkey demo' */
  rpName?: string
  /** Origins allowed for WebAuthn ceremonies, CORS and hosted-page redirects; the emulator's own origin is added. */
  expectedOrigins?: string[]
  /** The emulator's own public origin (hosted-page URLs). @default `http://localhost:5003` */
  publicUrl?: string
  /**
   * Host names (`host` or `host:port`) the server answers for besides its public URL's (and the loopback
   * names, when that is on loopback): a proxy's. Any other `Host` gets 421 (DNS rebinding). @default []
   */
  allowedHosts?: string[]
  /** JSON state file, or ':memory:'. @default ':memory:' */
  dataFile?: string
  /** Lifetime of issued tokens. @default 600 */
  tokenTtlSeconds?: number
  /** Lifetime of WebAuthn challenges. @default 300 */
  challengeTtlSeconds?: number
  /**
   * Knob — WebAuthn user verification asked for at registration and sign-in, and required when verifying.
   * Not documented; Android's SDK forces 'required'. Pessimistic: 'preferred' (a passkey used without a
   * PIN or biometric still signs in). @default 'required'
   */
  userVerification?: 'required' | 'preferred'
  /**
   * Knob — resident key (discoverable credential) asked for at registration. Not documented; passkey
   * autofill and username-less sign-in need discoverable credentials. Pessimistic: 'preferred' (an
   * authenticator may create one that only a username-first sign-in can find). @default 'required'
   */
  residentKey?: 'required' | 'preferred'
  /**
   * Knob — the HTTP status `POST /validate` answers for a bad, expired or mismatched (userId / action) token.
   * 200 answers `isValid: false` with `error` (the Node SDK's type has had `error?` since mid-2024); 400 and
   * 401 answer an error body (`invalid_token`, `expired_token`, `invalid_request`). No public source shows
   * the real answer. Pessimistic: 400 (`pessimistic: true`); 401 is the harshest. @default 200
   */
  validateErrorStatus?: 200 | 400 | 401
  /**
   * Knob — the action's state after a user who had no authenticator when it was tracked (state ALLOW)
   * enrolls one to complete it (the hosted page, or the Client API with its token). The identity-server
   * sample needs CHALLENGE_SUCCEEDED there; the Keycloak provider also accepts ALLOW. Pessimistic: 'ALLOW'
   * (the state stays ALLOW and `isValid` is false). @default 'CHALLENGE_SUCCEEDED'
   */
  hostedEnrollmentState?: 'CHALLENGE_SUCCEEDED' | 'ALLOW'
  /**
   * Knob — the error code for a passkey the tenant does not know (never registered, or removed) at
   * `POST /client/verify/passkey`. Documented: invalid_credential; browser SDK 1.21 also knows
   * unknown_credential. Pessimistic: 'unknown_credential'. @default 'invalid_credential'
   */
  removedCredentialError?: 'invalid_credential' | 'unknown_credential'
  /**
   * Knob — whether the hosted page offers passkeys (enroll and challenge) for the RP ID. Authsignal's
   * pre-built UI can only use the app's passkeys from a custom domain on the app's registrable domain.
   * Default: true when the page's own host is the RP ID or under it (a browser allows the ceremony), else
   * false. Pessimistic: false.
   */
  hostedPasskeys?: boolean
  /** Every knob at its pessimistic value unless set explicitly (what an integration should survive). @default false */
  pessimistic?: boolean
  /** @deprecated use `validateErrorStatus` (strict = 400). */
  /** Outcome of `track` per action code; unlisted codes: CHALLENGE when enrolled, else ALLOW. */
  actionOutcomes?: Record<string, ActionOutcome>
  /** Action code recorded for a passkey sign-in made without `/client/challenge`. @default 'passkey-sign-in' */
  defaultPasskeyAction?: string
  validateMode?: 'lenient' | 'strict'
  /** Consume a token on its first successful validation (not what Authsignal is known to do). @default false */
  singleUseValidate?: boolean
  /**
   * How long a started enrollment (an authenticator app, email or SMS waiting for its first code) stays
   * usable; after it, or once any other authenticator of the user is verified, it is dropped. @default 600
   */
  pendingEnrollmentTtlSeconds?: number
  /** Wrong authenticator-app codes allowed per action before it becomes CHALLENGE_FAILED. @default 5 */
  maxFailedAttempts?: number
  /** Faults active from the start (tests usually set them at run time instead). */
  faults?: FaultRule[]
  /** Fastify logger option. @default false */
  logger?: boolean | object
}

export type ResolvedEmulatorOptions = Required<Omit<EmulatorOptions, 'logger' | 'faults'>> &
Pick<EmulatorOptions, 'logger' | 'faults'>

/** Whether a page on `host` may run WebAuthn ceremonies for `rpId` (the RP ID is the host or a suffix of it). */
export const hostUnderRpId = (host: string, rpId: string): boolean => host === rpId || host.endsWith(`.${rpId}`)

export const DEV_SECRET = 'dev-only-emulator-secret'
/** The test suite's secret: public, like the development one. */
export const TEST_SECRET_DEFAULT = 'test-only-emulator-secret'
/** Shortest secret accepted with NODE_ENV=production (a real Authsignal secret is longer). */
export const MIN_PRODUCTION_SECRET_LENGTH = 32
/** Secrets that are public: the defaults of this project and the placeholders of the documentation. */
const KNOWN_SECRETS = new Set([
  DEV_SECRET, TEST_SECRET_DEFAULT, 'secret', 'your-secret', 'your_secret', 'your-secret-key', 'your_secret_key', 'your-api-secret-key',
  'your_api_secret_key', 'your-authsignal-secret', 'your_authsignal_secret', 'your-authsignal-secret-key', 'your_authsignal_secret_key',
  'your-tenant-secret', 'your_tenant_secret', 'authsignal-secret', 'api-secret', 'changeme', 'change-me', 'password', 'test', 'example'
].map(s => s.toLowerCase()))

/**
 * Why a secret may not be used in production, or null. Known values (this project's development and test
 * secrets, the documentation's placeholders), anything shorter than 32 characters, and one repeated
 * character are refused (issue 12, finding 4: they started before).
 */
export function weakSecretReason (secret: string): string | null {
  const normalised = secret.trim().toLowerCase()
  if (KNOWN_SECRETS.has(normalised) || KNOWN_SECRETS.has(normalised.replace(/^<|>$/g, ''))) return 'is a published development or example value'
  if (secret.length < MIN_PRODUCTION_SECRET_LENGTH) return `is shorter than ${MIN_PRODUCTION_SECRET_LENGTH} characters`
  if (new Set(secret).size < 8) return 'has too few distinct characters'
  return null
}
export const DEV_TENANT_ID = 'dev-tenant'
export const DEFAULT_EMULATOR_PORT = 5003

export function resolveOptions (options: EmulatorOptions): ResolvedEmulatorOptions {
  const publicUrl = new URL(options.publicUrl ?? `http://localhost:${DEFAULT_EMULATOR_PORT}`).origin
  const origins = (options.expectedOrigins ?? ['http://localhost:5001', 'http://localhost:5002']).map(o => new URL(o).origin)
  if (typeof options.secret !== 'string' || options.secret.length < 8) throw new TypeError('emulator: secret must be a string of at least 8 characters')
  if (typeof options.tenantId !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(options.tenantId)) throw new TypeError('emulator: tenantId must match [A-Za-z0-9_-]{1,128}')
  if (process.env.NODE_ENV === 'production') {
    const weak = weakSecretReason(options.secret)
    if (weak != null) throw new TypeError(`emulator: secret ${weak}; with NODE_ENV=production the emulator needs a secret of its own`)
  }
  const pessimistic = options.pessimistic ?? false
  const oneOf = (name: string, value: unknown, allowed: readonly unknown[]): void => {
    if (value !== undefined && !allowed.includes(value)) throw new TypeError(`emulator: ${name} must be one of ${allowed.map(v => JSON.stringify(v)).join(', ')}`)
  }
  oneOf('userVerification', options.userVerification, ['required', 'preferred'])
  oneOf('residentKey', options.residentKey, ['required', 'preferred'])
  oneOf('validateErrorStatus', options.validateErrorStatus, [200, 400, 401])
  oneOf('hostedEnrollmentState', options.hostedEnrollmentState, ['CHALLENGE_SUCCEEDED', 'ALLOW'])
  oneOf('removedCredentialError', options.removedCredentialError, ['invalid_credential', 'unknown_credential'])
  oneOf('hostedPasskeys', options.hostedPasskeys, [true, false])
  for (const entry of options.allowedHosts ?? []) {
    if (typeof entry !== 'string' || parseHost(entry) == null) throw new TypeError(`emulator: allowedHosts entry ${JSON.stringify(entry)} is not a host name or host:port`)
  }
  return {
    secret: options.secret,
    tenantId: options.tenantId,
    rpId: options.rpId ?? 'localhost',
    rpName: options.rpName ?? 'Passkey demo',
    expectedOrigins: [...new Set([...origins, publicUrl])],
    publicUrl,
    allowedHosts: options.allowedHosts ?? [],
    dataFile: options.dataFile ?? ':memory:',
    tokenTtlSeconds: options.tokenTtlSeconds ?? 600,
    challengeTtlSeconds: options.challengeTtlSeconds ?? 300,
    userVerification: options.userVerification ?? (pessimistic ? 'preferred' : 'required'),
    residentKey: options.residentKey ?? (pessimistic ? 'preferred' : 'required'),
    validateErrorStatus: options.validateErrorStatus ?? (options.validateMode === 'strict' || pessimistic ? 400 : 200),
    hostedEnrollmentState: options.hostedEnrollmentState ?? (pessimistic ? 'ALLOW' : 'CHALLENGE_SUCCEEDED'),
    removedCredentialError: options.removedCredentialError ?? (pessimistic ? 'unknown_credential' : 'invalid_credential'),
    hostedPasskeys: options.hostedPasskeys ?? (!pessimistic && hostUnderRpId(new URL(publicUrl).hostname, options.rpId ?? 'localhost')),
    pessimistic,
    actionOutcomes: options.actionOutcomes ?? {},
    defaultPasskeyAction: options.defaultPasskeyAction ?? 'passkey-sign-in',
    validateMode: options.validateMode ?? 'lenient',
    singleUseValidate: options.singleUseValidate ?? false,
    pendingEnrollmentTtlSeconds: options.pendingEnrollmentTtlSeconds ?? 600,
    maxFailedAttempts: options.maxFailedAttempts ?? 5,
    faults: options.faults,
    logger: options.logger ?? false
  }
}

export class ConfigError extends Error {
  constructor (variable: string, problem: string) {
    super(`${variable} ${problem}`)
    this.name = 'ConfigError'
  }
}

function parseOrigins (variable: string, value: string): string[] {
  return value.split(',').map(s => s.trim()).filter(Boolean).map(origin => {
    let url: URL
    try { url = new URL(origin) } catch { throw new ConfigError(variable, `has an entry that is not a URL: ${JSON.stringify(origin)}`) }
    if (url.origin !== origin.replace(/\/$/, '')) throw new ConfigError(variable, `entries must be bare origins (scheme://host[:port]): ${JSON.stringify(origin)}`)
    return url.origin
  })
}

function parseIntVar (variable: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value == null || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(variable, `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`)
  return n
}

/** Reads the emulator's configuration from the environment (see README, "Configuration"). */
export function emulatorConfigFromEnv (env: NodeJS.ProcessEnv = process.env): EmulatorOptions & { port: number, host: string } {
  const port = parseIntVar('EMULATOR_PORT', env.EMULATOR_PORT, DEFAULT_EMULATOR_PORT, 0, 65535)
  const production = env.NODE_ENV === 'production'
  if (production && (env.AUTHSIGNAL_SECRET == null || env.AUTHSIGNAL_SECRET === '')) {
    throw new ConfigError('AUTHSIGNAL_SECRET', 'must be set when NODE_ENV=production (the emulator refuses its development secret)')
  }
  const secret = env.AUTHSIGNAL_SECRET ?? DEV_SECRET
  if (secret.length < 8) throw new ConfigError('AUTHSIGNAL_SECRET', 'must be at least 8 characters')
  const weak = production ? weakSecretReason(secret) : null
  if (weak != null) {
    throw new ConfigError('AUTHSIGNAL_SECRET', `${weak}: with NODE_ENV=production set a random secret of at least ${MIN_PRODUCTION_SECRET_LENGTH} characters (e.g. openssl rand -base64 32)`)
  }
  const allowedHosts = (env.EMULATOR_ALLOWED_HOSTS ?? '').split(',').map(h => h.trim()).filter(Boolean)
  for (const entry of allowedHosts) {
    if (parseHost(entry) == null) throw new ConfigError('EMULATOR_ALLOWED_HOSTS', `has an entry that is not a host name or host:port: ${JSON.stringify(entry)}`)
  }
  const tenantId = env.AUTHSIGNAL_TENANT_ID ?? DEV_TENANT_ID
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(tenantId)) throw new ConfigError('AUTHSIGNAL_TENANT_ID', 'must match [A-Za-z0-9_-]{1,128}')
  const choice = <T extends string>(variable: string, allowed: readonly T[]): T | undefined => {
    const value = env[variable]
    if (value == null || value === '') return undefined
    if (!(allowed as readonly string[]).includes(value)) throw new ConfigError(variable, `must be ${allowed.map(v => `"${v}"`).join(' or ')}, got ${JSON.stringify(value)}`)
    return value as T
  }
  const userVerification = choice('EMULATOR_USER_VERIFICATION', ['required', 'preferred'] as const)
  const residentKey = choice('EMULATOR_RESIDENT_KEY', ['required', 'preferred'] as const)
  const validateErrorStatus = choice('EMULATOR_VALIDATE_ERROR_STATUS', ['200', '400', '401'] as const)
  const hostedEnrollmentState = choice('EMULATOR_HOSTED_ENROLLMENT_STATE', ['CHALLENGE_SUCCEEDED', 'ALLOW'] as const)
  const removedCredentialError = choice('EMULATOR_REMOVED_CREDENTIAL_ERROR', ['invalid_credential', 'unknown_credential'] as const)
  const hostedPasskeys = choice('EMULATOR_HOSTED_PASSKEYS', ['on', 'off', 'auto'] as const)
  const pessimistic = choice('EMULATOR_PESSIMISTIC', ['true', 'false', '1', '0'] as const)
  return {
    port,
    host: env.EMULATOR_HOST ?? 'localhost',
    secret,
    tenantId,
    rpId: env.EMULATOR_RP_ID ?? 'localhost',
    rpName: env.EMULATOR_RP_NAME ?? 'Passkey demo',
    expectedOrigins: parseOrigins('EMULATOR_EXPECTED_ORIGINS', env.EMULATOR_EXPECTED_ORIGINS ?? 'http://localhost:5001,http://localhost:5002'),
    // Unset: http://<host>:<port> once listening (start() knows the port, even when it was 0).
    ...(env.EMULATOR_PUBLIC_URL != null && env.EMULATOR_PUBLIC_URL !== '' ? { publicUrl: parseOrigins('EMULATOR_PUBLIC_URL', env.EMULATOR_PUBLIC_URL)[0] } : {}),
    allowedHosts,
    dataFile: env.EMULATOR_DATA_FILE ?? ':memory:',
    tokenTtlSeconds: parseIntVar('EMULATOR_TOKEN_TTL', env.EMULATOR_TOKEN_TTL, 600, 10, 86400),
    ...(userVerification != null ? { userVerification } : {}),
    ...(residentKey != null ? { residentKey } : {}),
    ...(validateErrorStatus != null ? { validateErrorStatus: Number(validateErrorStatus) as 200 | 400 | 401 } : {}),
    ...(hostedEnrollmentState != null ? { hostedEnrollmentState } : {}),
    ...(removedCredentialError != null ? { removedCredentialError } : {}),
    ...(hostedPasskeys === 'on' ? { hostedPasskeys: true } : hostedPasskeys === 'off' ? { hostedPasskeys: false } : {}),
    ...(pessimistic === 'true' || pessimistic === '1' ? { pessimistic: true } : {}),
    logger: env.EMULATOR_LOG === 'off' ? false : { level: env.EMULATOR_LOG ?? 'info' }
  }
}
