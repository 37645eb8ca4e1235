// The demo IdP's configuration from the environment, validated at start with a message naming the bad
// variable. Development defaults point at the local Authsignal emulator and use secrets generated once
// into the git-ignored data folder; production (NODE_ENV=production) must supply every secret.
import type { JWK } from 'jose'
import { DEV_SECRET, DEV_TENANT_ID } from '../authsignal-emulator/config.js'
import { loadOrCreateDevSecrets, type DevSecrets } from '../shared/dev-secrets.js'
import type { IdpOptions } from './app.js'

export const DEFAULT_IDP_PORT = 5001
export const DEMO_CLIENT_ID = 'demo-app'

export class IdpEnvError extends Error {
  constructor (variable: string, problem: string) {
    super(`${variable} ${problem}`)
    this.name = 'IdpEnvError'
  }
}

function origin (variable: string, value: string): string {
  let url: URL
  try { url = new URL(value) } catch { throw new IdpEnvError(variable, `must be a URL, got ${JSON.stringify(value)}`) }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new IdpEnvError(variable, 'must be an http(s) URL')
  if (url.origin !== value.replace(/\/$/, '')) throw new IdpEnvError(variable, `must be a bare origin (scheme://host[:port]), got ${JSON.stringify(value)}`)
  return url.origin
}

function port (variable: string, value: string | undefined, fallback: number): number {
  if (value == null || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new IdpEnvError(variable, `must be a port number, got ${JSON.stringify(value)}`)
  return n
}

function jwksFrom (variable: string, value: string): { keys: JWK[] } {
  let parsed: unknown
  try { parsed = JSON.parse(value) } catch { throw new IdpEnvError(variable, 'must be a JSON Web Key Set') }
  const keys = (parsed as { keys?: unknown })?.keys
  if (!Array.isArray(keys) || keys.length === 0 || keys.some(k => typeof (k as JWK)?.d !== 'string')) {
    throw new IdpEnvError(variable, 'must be a JSON Web Key Set of private signing keys')
  }
  return { keys: keys as JWK[] }
}

export interface IdpEnvConfig {
  port: number
  host: string
  options: IdpOptions
}

/** Reads the configuration; `devSecrets` is only called when a secret is missing outside production. */
export async function idpConfigFromEnv (
  env: NodeJS.ProcessEnv = process.env,
  devSecrets: () => Promise<DevSecrets> = loadOrCreateDevSecrets
): Promise<IdpEnvConfig> {
  const production = env.NODE_ENV === 'production'
  const listenPort = port('IDP_PORT', env.IDP_PORT, DEFAULT_IDP_PORT)
  const issuer = origin('IDP_ISSUER', env.IDP_ISSUER ?? `http://localhost:${listenPort}`)
  const appOrigin = origin('APP_ORIGIN', env.APP_ORIGIN ?? 'http://localhost:5002')
  const apiUrl = env.AUTHSIGNAL_API_URL ?? 'http://localhost:5003/v1'
  try { if (!/^https?:$/.test(new URL(apiUrl).protocol)) throw new Error('scheme') } catch {
    throw new IdpEnvError('AUTHSIGNAL_API_URL', `must be an http(s) URL such as https://api.authsignal.com/v1, got ${JSON.stringify(apiUrl)}`)
  }
  const hostedPageOrigin = env.AUTHSIGNAL_HOSTED_ORIGIN != null && env.AUTHSIGNAL_HOSTED_ORIGIN !== ''
    ? origin('AUTHSIGNAL_HOSTED_ORIGIN', env.AUTHSIGNAL_HOSTED_ORIGIN)
    : undefined

  const required = ['AUTHSIGNAL_SECRET', 'IDP_JWKS', 'IDP_COOKIE_KEYS', 'DEMO_CLIENT_SECRET'] as const
  if (production) {
    for (const variable of required) {
      if (env[variable] == null || env[variable] === '') throw new IdpEnvError(variable, 'must be set when NODE_ENV=production (development defaults are refused)')
    }
  }
  const secret = env.AUTHSIGNAL_SECRET ?? DEV_SECRET
  if (secret.length < 8) throw new IdpEnvError('AUTHSIGNAL_SECRET', 'must be at least 8 characters')
  const tenantId = env.AUTHSIGNAL_TENANT_ID ?? DEV_TENANT_ID
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(tenantId)) throw new IdpEnvError('AUTHSIGNAL_TENANT_ID', 'must match [A-Za-z0-9_-]{1,128}')

  const missingSecret = required.slice(1).some(variable => env[variable] == null || env[variable] === '')
  const dev = missingSecret ? await devSecrets() : undefined
  const jwks = env.IDP_JWKS != null && env.IDP_JWKS !== '' ? jwksFrom('IDP_JWKS', env.IDP_JWKS) : (dev as DevSecrets).jwks
  const cookieKeys = env.IDP_COOKIE_KEYS != null && env.IDP_COOKIE_KEYS !== ''
    ? env.IDP_COOKIE_KEYS.split(',').map(k => k.trim()).filter(Boolean)
    : (dev as DevSecrets).idpCookieKeys
  if (cookieKeys.length === 0 || cookieKeys.some(k => k.length < 32)) throw new IdpEnvError('IDP_COOKIE_KEYS', 'must be a comma-separated list of keys of at least 32 characters')
  const clientSecret = env.DEMO_CLIENT_SECRET != null && env.DEMO_CLIENT_SECRET !== '' ? env.DEMO_CLIENT_SECRET : (dev as DevSecrets).clientSecret
  if (clientSecret.length < 16) throw new IdpEnvError('DEMO_CLIENT_SECRET', 'must be at least 16 characters')

  const level = env.IDP_LOG ?? 'info'
  if (!['off', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'].includes(level)) throw new IdpEnvError('IDP_LOG', 'must be off, fatal, error, warn, info, debug or trace')

  return {
    port: listenPort,
    host: env.IDP_HOST ?? 'localhost',
    options: {
      issuer,
      appOrigin,
      clients: [{
        clientId: DEMO_CLIENT_ID,
        clientSecret,
        clientName: 'Demo app',
        redirectUris: [`${appOrigin}/callback`],
        postLogoutRedirectUris: [`${appOrigin}/`]
      }],
      authsignal: { secret, tenantId, apiUrl, ...(hostedPageOrigin != null ? { hostedPageOrigin } : {}) },
      jwks,
      cookieKeys,
      logger: level === 'off' ? false : { level }
    }
  }
}
