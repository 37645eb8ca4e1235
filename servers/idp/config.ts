// The demo IdP's configuration from the environment, validated at start with a message naming the bad
// variable. Development defaults point at the local Authsignal emulator and use secrets generated once
// into the git-ignored data folder; production (NODE_ENV=production) must supply every secret.
import type { JWK } from 'jose'
import { DEV_SECRET, DEV_TENANT_ID } from 'authsignal-emulator'
import { loadOrCreateDevSecrets, readDevSecrets, type DevSecrets } from '../shared/dev-secrets.js'
import { envReader } from '../shared/env.js'
import type { IdpOptions } from './app.js'

export const DEFAULT_IDP_PORT = 5001
export const DEMO_CLIENT_ID = 'demo-app'

export class IdpEnvError extends Error {
  constructor (variable: string, problem: string) {
    super(`${variable} ${problem}`)
    this.name = 'IdpEnvError'
  }
}

const read = envReader((variable, problem) => new IdpEnvError(variable, problem))

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

/**
 * Reads the configuration; `devSecrets` is only called when a secret is missing outside production, and
 * `devFile` (the development secrets file, never created) only in production, to refuse its values there.
 */
export async function idpConfigFromEnv (
  env: NodeJS.ProcessEnv = process.env,
  devSecrets: () => Promise<DevSecrets> = loadOrCreateDevSecrets,
  devFile: () => Promise<DevSecrets | undefined> = readDevSecrets
): Promise<IdpEnvConfig> {
  const listenPort = read.port('IDP_PORT', env.IDP_PORT, DEFAULT_IDP_PORT)
  const issuer = read.origin('IDP_ISSUER', env.IDP_ISSUER ?? `http://localhost:${listenPort}`)
  const appOrigin = read.origin('APP_ORIGIN', env.APP_ORIGIN ?? 'http://localhost:5002')
  const hostedPageOrigin = read.present(env.AUTHSIGNAL_HOSTED_ORIGIN) ? read.origin('AUTHSIGNAL_HOSTED_ORIGIN', env.AUTHSIGNAL_HOSTED_ORIGIN) : undefined
  const required = ['AUTHSIGNAL_SECRET', 'IDP_JWKS', 'IDP_COOKIE_KEYS', 'DEMO_CLIENT_SECRET'] as const
  read.requireInProduction(env, required)
  // Nor may production fall back to the local emulator's tenant and API or to localhost origins.
  read.requireInProduction(env, ['AUTHSIGNAL_TENANT_ID', 'AUTHSIGNAL_API_URL', 'IDP_ISSUER', 'APP_ORIGIN'])
  const { secret, tenantId, apiUrl } = read.authsignal(env, { secret: DEV_SECRET, tenantId: DEV_TENANT_ID, apiUrl: 'http://localhost:5003/v1' })

  const dev = required.slice(1).some(variable => !read.present(env[variable])) ? await devSecrets() : undefined
  const jwks = read.present(env.IDP_JWKS) ? jwksFrom('IDP_JWKS', env.IDP_JWKS) : (dev as DevSecrets).jwks
  const cookieKeys = read.present(env.IDP_COOKIE_KEYS)
    ? env.IDP_COOKIE_KEYS.split(',').map(k => k.trim()).filter(Boolean)
    : (dev as DevSecrets).idpCookieKeys
  if (cookieKeys.length === 0 || cookieKeys.some(k => k.length < 32)) throw new IdpEnvError('IDP_COOKIE_KEYS', 'must be a comma-separated list of keys of at least 32 characters')
  const clientSecret = read.present(env.DEMO_CLIENT_SECRET) ? env.DEMO_CLIENT_SECRET : (dev as DevSecrets).clientSecret
  if (clientSecret.length < 16) throw new IdpEnvError('DEMO_CLIENT_SECRET', 'must be at least 16 characters')
  await read.refuseWeakSecrets(env, { AUTHSIGNAL_SECRET: secret, IDP_JWKS: jwks, IDP_COOKIE_KEYS: cookieKeys, DEMO_CLIENT_SECRET: clientSecret }, devFile)
  const logger = read.logger('IDP_LOG', env.IDP_LOG)
  const host = env.IDP_HOST ?? 'localhost'
  const allowedHosts = read.allowedHosts('IDP_ALLOWED_HOSTS', env.IDP_ALLOWED_HOSTS, { host, port: listenPort })

  return {
    port: listenPort,
    host,
    options: {
      issuer,
      allowedHosts,
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
      logger,
      // Several instances share their state through Redis (REDIS_URL); without it, bounded memory.
      ...(read.present(env.REDIS_URL) ? { redis: read.redisUrl('REDIS_URL', env.REDIS_URL) } : {}),
      ...(read.present(env.REDIS_KEY_PREFIX) ? { keyPrefix: env.REDIS_KEY_PREFIX } : {}),
      // The login page carries the passkey sign-in's options, fetched as it renders (docs/performance.md).
      passkeyLogin: { prepareSignIn: read.onOff('IDP_PREPARE_SIGN_IN', env.IDP_PREPARE_SIGN_IN, true) }
    }
  }
}
