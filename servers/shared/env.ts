// Reading the demo servers' settings from the environment: one set of checks, each failure naming the
// variable, with the error class of the server asking (so its callers can catch exactly that).
import { DEV_SECRET } from 'authsignal-emulator'
import type { JWK } from 'jose'
import type { DevSecrets } from './dev-secrets.js'
import { hostList, isLoopback, loopbackHosts } from './hosts.js'

export type EnvFailure = (variable: string, problem: string) => Error

export const LOG_LEVELS = ['off', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const

export interface AuthsignalSettings { secret: string, tenantId: string, apiUrl: string }

export function envReader (fail: EnvFailure) {
  const present = (value: string | undefined): value is string => value != null && value !== ''
  return {
    present,

    /** A bare http(s) origin (`scheme://host[:port]`). */
    origin (variable: string, value: string): string {
      let url: URL
      try { url = new URL(value) } catch { throw fail(variable, `must be a URL, got ${JSON.stringify(value)}`) }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail(variable, 'must be an http(s) URL')
      if (url.origin !== value.replace(/\/$/, '')) throw fail(variable, `must be a bare origin (scheme://host[:port]), got ${JSON.stringify(value)}`)
      return url.origin
    },

    /** A redis:// or rediss:// URL (Redis 7 or Valkey). */
    redisUrl (variable: string, value: string): string {
      let url: URL
      try { url = new URL(value) } catch { throw fail(variable, 'must be a redis:// URL such as redis://localhost:6379') }
      if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw fail(variable, 'must be a redis:// or rediss:// URL such as redis://localhost:6379')
      return value
    },

    /**
     * The host names a server answers for besides its public origin's (a proxy's), comma-separated; when it
     * listens on loopback, the loopback names at its port too (the emulator's rule). DNS rebinding, issue 12.
     */
    allowedHosts (variable: string, value: string | undefined, listen: { host: string, port: number }): string[] {
      const { hosts, bad } = hostList(value)
      if (bad != null) throw fail(variable, `has an entry that is not a host name or host:port: ${JSON.stringify(bad)}`)
      return [...hosts, ...(isLoopback(listen.host) && listen.port !== 0 ? loopbackHosts(listen.port) : [])]
    },

    port (variable: string, value: string | undefined, fallback: number): number {
      if (!present(value)) return fallback
      const n = Number(value)
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw fail(variable, `must be a port number, got ${JSON.stringify(value)}`)
      return n
    },

    /** A Fastify logger option from a level name (`off` turns logging off). */
    logger (variable: string, value: string | undefined): false | { level: string } {
      const level = value ?? 'info'
      if (!(LOG_LEVELS as readonly string[]).includes(level)) throw fail(variable, `must be ${LOG_LEVELS.slice(0, -1).join(', ')} or ${LOG_LEVELS[LOG_LEVELS.length - 1]}`)
      return level === 'off' ? false : { level }
    },

    /** `on` or `off` (also 1/0, true/false); `fallback` when unset. */
    onOff (variable: string, value: string | undefined, fallback: boolean): boolean {
      if (!present(value)) return fallback
      if (/^(on|1|true)$/i.test(value)) return true
      if (/^(off|0|false)$/i.test(value)) return false
      throw fail(variable, `must be on or off, got ${JSON.stringify(value)}`)
    },

    /** In production, each of `variables` must be set: development defaults are refused. */
    requireInProduction (env: NodeJS.ProcessEnv, variables: readonly string[]): void {
      if (env.NODE_ENV !== 'production') return
      for (const variable of variables) {
        if (!present(env[variable])) throw fail(variable, 'must be set when NODE_ENV=production (development defaults are refused)')
      }
    },

    /**
     * In production, each † value given must be neither published (this project's development and test
     * values, the examples of its READMEs, documentation placeholders, the development secrets file's) nor weak:
     * the first one that is ends the start, naming its setting and never repeating the value (issue 12, finding 4).
     */
    async refuseWeakSecrets (env: NodeJS.ProcessEnv, values: SecretValues, devFile: () => Promise<DevSecrets | undefined>): Promise<void> {
      if (env.NODE_ENV !== 'production') return
      const problem = await weakSecretsProblem(values, await devFile())
      if (problem != null) throw fail(problem.setting, `${problem.reason}: with NODE_ENV=production ${ADVICE[problem.setting]}`)
    },

    /** Authsignal credentials and region; the defaults are the local emulator's development values. */
    authsignal (env: NodeJS.ProcessEnv, defaults: { secret: string, tenantId: string, apiUrl: string }): AuthsignalSettings {
      const apiUrl = env.AUTHSIGNAL_API_URL ?? defaults.apiUrl
      try { if (!/^https?:$/.test(new URL(apiUrl).protocol)) throw new Error('scheme') } catch {
        throw fail('AUTHSIGNAL_API_URL', `must be an http(s) URL such as https://api.authsignal.com/v1, got ${JSON.stringify(apiUrl)}`)
      }
      const secret = env.AUTHSIGNAL_SECRET ?? defaults.secret
      if (secret.length < 8) throw fail('AUTHSIGNAL_SECRET', 'must be at least 8 characters')
      const tenantId = env.AUTHSIGNAL_TENANT_ID ?? defaults.tenantId
      if (!/^[A-Za-z0-9_-]{1,128}$/.test(tenantId)) throw fail('AUTHSIGNAL_TENANT_ID', 'must match [A-Za-z0-9_-]{1,128}')
      return { secret, tenantId, apiUrl }
    }
  }
}

/** The † settings: secrets that production must be given, each its own. */
export type SecretSetting = 'AUTHSIGNAL_SECRET' | 'IDP_JWKS' | 'IDP_COOKIE_KEYS' | 'DEMO_CLIENT_SECRET' | 'APP_SESSION_KEY'

/** The values a server was configured with, by setting (only those it uses). */
export interface SecretValues {
  AUTHSIGNAL_SECRET?: string
  IDP_JWKS?: { keys: JWK[] }
  IDP_COOKIE_KEYS?: string[]
  DEMO_CLIENT_SECRET?: string
  APP_SESSION_KEY?: string
}

/** Shortest string secret production accepts (the emulator's rule for the Authsignal secret, for every one). */
export const MIN_SECRET_LENGTH = 32

/** Documentation placeholders, for any string secret (compared without case, `<…>` brackets or surrounding space). */
const PLACEHOLDERS = [
  '…', '...', 'xxx', 'todo', 'secret', 'password', 'test', 'example', 'changeme', 'change-me', 'change_me', 'replace-me', 'replace_me',
  'your-secret', 'your_secret', 'your-secret-key', 'your_secret_key', 'secret-key', 'secret_key'
]

/**
 * Published values per † setting: this project's development and test defaults, and the values a developer
 * would copy from its READMEs, its plugins' READMEs and the libraries' documented examples. One list each.
 */
export const KNOWN_SECRETS: Record<Exclude<SecretSetting, 'IDP_JWKS'>, readonly string[]> = {
  // The emulator's development secret (README table, plugin READMEs, `curl -u` examples), the tests' one, and
  // the placeholders the emulator refuses for its own secret (its config.ts), so all three servers agree.
  AUTHSIGNAL_SECRET: [
    DEV_SECRET, 'test-only-emulator-secret', 'your-api-secret-key', 'your_api_secret_key', 'your-authsignal-secret', 'your_authsignal_secret',
    'your-authsignal-secret-key', 'your_authsignal_secret_key', 'your-tenant-secret', 'your_tenant_secret', 'authsignal-secret', 'api-secret'
  ],
  // The plugin READMEs' example client secret, and the test client's (in the repository).
  DEMO_CLIENT_SECRET: ['my-app-secret-change-me-0123456789', 'test-rp-secret-0123456789abcdef', 'client-secret', 'client_secret', 'your-client-secret', 'demo-app-secret'],
  // oidc-provider's example configuration.
  IDP_COOKIE_KEYS: ['some secret key', 'and also the old rotated away some time ago', 'and one more', 'cookie-key', 'your-cookie-key'],
  // @fastify/secure-session's README example.
  APP_SESSION_KEY: ['averylogphrasebiggerthanthirtytwochars', 'session-key', 'your-session-key']
}

const ADVICE: Record<SecretSetting, string> = {
  AUTHSIGNAL_SECRET: 'set the Server API secret of your Authsignal tenant',
  IDP_JWKS: 'set private signing keys of your own (RSA of at least 2048 bits, EC P-256/384/521 or Ed25519), generated for this deployment',
  IDP_COOKIE_KEYS: `set random keys of at least ${MIN_SECRET_LENGTH} characters (e.g. openssl rand -base64 32)`,
  DEMO_CLIENT_SECRET: `set a random secret of at least ${MIN_SECRET_LENGTH} characters (e.g. openssl rand -base64 32)`,
  APP_SESSION_KEY: 'set 32 random bytes, base64 (openssl rand -base64 32)'
}

const normalised = (value: string): string => value.trim().toLowerCase().replace(/^<(.*)>$/, '$1').trim()

/** Why a string is too weak to be a secret, whatever it is: short, few distinct characters, a repeated pattern or a run. */
function weakString (value: string, minLength = MIN_SECRET_LENGTH): string | null {
  if (value.length < minLength) return `is shorter than ${minLength} characters`
  if (new Set(value).size < 8) return 'has too few distinct characters'
  if ((value + value).indexOf(value, 1) < value.length) return 'is one pattern repeated'
  let steps = 0
  for (let i = 1; i < value.length; i++) if (Math.abs(value.charCodeAt(i) - value.charCodeAt(i - 1)) === 1) steps++
  if (steps >= (value.length - 1) * 0.75) return 'is a run of consecutive characters'
  return null
}

/** Why a string secret of `setting` may not be used in production, or null. */
export function weakSecretReason (setting: Exclude<SecretSetting, 'IDP_JWKS'>, value: string, devValues: readonly string[] = []): string | null {
  const v = normalised(value)
  if (PLACEHOLDERS.includes(v) || KNOWN_SECRETS[setting].some(known => normalised(known) === v)) return 'is a published development or example value'
  if (devValues.some(dev => dev === value.trim())) return 'is a value of the development secrets file (data/dev-secrets.json)'
  if (setting === 'APP_SESSION_KEY') {
    const bytes = Buffer.from(value, 'base64')
    if (devValues.some(dev => Buffer.from(dev, 'base64').equals(bytes))) return 'is a value of the development secrets file (data/dev-secrets.json)'
    // 32 random bytes have about 30 distinct values; fewer than 24, or a repeated pattern, is no random key.
    if (new Set(bytes).size < 24 || weakString(bytes.toString('latin1'), 32) === 'is one pattern repeated') return 'has too few distinct bytes to be random'
    return null
  }
  return weakString(value)
}

/** The public part that identifies a key (whatever else a copy changes: kid, alg, use). */
const keyIdentity = (key: JWK): string => `${key.kty ?? ''}:${key.crv ?? ''}:${key.n ?? ''}:${key.x ?? ''}:${key.y ?? ''}:${key.d ?? ''}`.replace(/:+$/, '')
const publicIdentity = (key: JWK): string => `${key.kty ?? ''}:${key.n ?? key.x ?? ''}`

let devKeystore: Promise<Set<string>> | undefined
/** oidc-provider's quick-start keys (lib/consts/dev_keystore.js): published with the library. */
async function oidcProviderDevKeys (): Promise<Set<string>> {
  devKeystore ??= import('oidc-provider/lib/consts/dev_keystore.js' as string).then(
    (module: { default?: { keys?: JWK[] } }) => new Set((module.default?.keys ?? []).map(publicIdentity)),
    () => new Set<string>())
  return await devKeystore
}

/** Why a signing key set may not be used in production, or null. */
export async function weakJwksReason (jwks: { keys: JWK[] }, devKeys: readonly JWK[] = []): Promise<string | null> {
  const published = await oidcProviderDevKeys()
  const dev = new Set(devKeys.map(publicIdentity))
  for (const [i, key] of jwks.keys.entries()) {
    if (published.has(publicIdentity(key))) return `key ${i} is one of oidc-provider's published development keys`
    if (dev.has(publicIdentity(key))) return `key ${i} is a key of the development secrets file (data/dev-secrets.json)`
    if (key.kty === 'RSA') {
      const bits = Buffer.from(String(key.n ?? ''), 'base64url').length * 8
      if (bits < 2048) return `key ${i} is an RSA key of ${bits} bits (at least 2048)`
    } else if (key.kty === 'EC') {
      if (!['P-256', 'P-384', 'P-521'].includes(String(key.crv))) return `key ${i} is on an unsupported curve`
    } else if (key.kty === 'OKP') {
      if (!['Ed25519', 'Ed448'].includes(String(key.crv))) return `key ${i} is not an Ed25519 or Ed448 key`
    } else {
      return `key ${i} is not an RSA, EC or OKP signing key`
    }
    if (typeof key.d !== 'string' || Buffer.from(key.d, 'base64url').length < 32) return `key ${i} has no usable private part`
  }
  if (new Set(jwks.keys.map(keyIdentity)).size !== jwks.keys.length) return 'holds the same key twice'
  return null
}

/** The first † value that production must refuse (in the order of the README's table), or null. */
export async function weakSecretsProblem (values: SecretValues, dev?: DevSecrets): Promise<{ setting: SecretSetting, reason: string } | null> {
  const check = (setting: Exclude<SecretSetting, 'IDP_JWKS'>, value: string | undefined, devValues: string[]): { setting: SecretSetting, reason: string } | null => {
    const reason = value == null ? null : weakSecretReason(setting, value, devValues)
    return reason == null ? null : { setting, reason }
  }
  const first = check('AUTHSIGNAL_SECRET', values.AUTHSIGNAL_SECRET, [])
  if (first != null) return first
  if (values.IDP_JWKS != null) {
    const reason = await weakJwksReason(values.IDP_JWKS, dev?.jwks.keys ?? [])
    if (reason != null) return { setting: 'IDP_JWKS', reason }
  }
  for (const key of values.IDP_COOKIE_KEYS ?? []) {
    const problem = check('IDP_COOKIE_KEYS', key, dev?.idpCookieKeys ?? [])
    if (problem != null) return problem
  }
  return check('DEMO_CLIENT_SECRET', values.DEMO_CLIENT_SECRET, dev != null ? [dev.clientSecret] : []) ??
    check('APP_SESSION_KEY', values.APP_SESSION_KEY, dev != null ? [dev.appSessionKey] : [])
}
