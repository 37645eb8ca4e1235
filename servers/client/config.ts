// The demo app's configuration from the environment, validated at start with a message naming the bad
// variable. Development defaults point at the local IdP and emulator with secrets generated once into
// the git-ignored data folder; production (NODE_ENV=production) must supply every secret.
import { DEV_SECRET, DEV_TENANT_ID } from '../authsignal-emulator/config.js'
import { DEMO_CLIENT_ID } from '../idp/config.js'
import { loadOrCreateDevSecrets, type DevSecrets } from '../shared/dev-secrets.js'
import type { ClientAppOptions } from './app.js'

export const DEFAULT_APP_PORT = 5002

export class ClientEnvError extends Error {
  constructor (variable: string, problem: string) {
    super(`${variable} ${problem}`)
    this.name = 'ClientEnvError'
  }
}

function origin (variable: string, value: string): string {
  let url: URL
  try { url = new URL(value) } catch { throw new ClientEnvError(variable, `must be a URL, got ${JSON.stringify(value)}`) }
  if (!/^https?:$/.test(url.protocol) || url.origin !== value.replace(/\/$/, '')) throw new ClientEnvError(variable, `must be a bare http(s) origin, got ${JSON.stringify(value)}`)
  return url.origin
}

export interface ClientEnvConfig {
  port: number
  host: string
  options: ClientAppOptions
}

export async function clientConfigFromEnv (
  env: NodeJS.ProcessEnv = process.env,
  devSecrets: () => Promise<DevSecrets> = loadOrCreateDevSecrets
): Promise<ClientEnvConfig> {
  const production = env.NODE_ENV === 'production'
  const rawPort = env.APP_PORT
  const port = rawPort == null || rawPort === '' ? DEFAULT_APP_PORT : Number(rawPort)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ClientEnvError('APP_PORT', `must be a port number, got ${JSON.stringify(rawPort)}`)
  const appOrigin = origin('APP_ORIGIN', env.APP_ORIGIN ?? `http://localhost:${port}`)
  const issuer = origin('IDP_ISSUER', env.IDP_ISSUER ?? 'http://localhost:5001')
  const apiUrl = env.AUTHSIGNAL_API_URL ?? 'http://localhost:5003/v1'
  try { if (!/^https?:$/.test(new URL(apiUrl).protocol)) throw new Error('scheme') } catch {
    throw new ClientEnvError('AUTHSIGNAL_API_URL', `must be an http(s) URL such as https://api.authsignal.com/v1, got ${JSON.stringify(apiUrl)}`)
  }
  const required = ['AUTHSIGNAL_SECRET', 'DEMO_CLIENT_SECRET', 'APP_SESSION_KEY'] as const
  if (production) {
    for (const variable of required) {
      if (env[variable] == null || env[variable] === '') throw new ClientEnvError(variable, 'must be set when NODE_ENV=production (development defaults are refused)')
    }
  }
  const secret = env.AUTHSIGNAL_SECRET ?? DEV_SECRET
  if (secret.length < 8) throw new ClientEnvError('AUTHSIGNAL_SECRET', 'must be at least 8 characters')
  const tenantId = env.AUTHSIGNAL_TENANT_ID ?? DEV_TENANT_ID
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(tenantId)) throw new ClientEnvError('AUTHSIGNAL_TENANT_ID', 'must match [A-Za-z0-9_-]{1,128}')
  const missing = required.slice(1).some(variable => env[variable] == null || env[variable] === '')
  const dev = missing ? await devSecrets() : undefined
  const clientSecret = env.DEMO_CLIENT_SECRET != null && env.DEMO_CLIENT_SECRET !== '' ? env.DEMO_CLIENT_SECRET : (dev as DevSecrets).clientSecret
  if (clientSecret.length < 16) throw new ClientEnvError('DEMO_CLIENT_SECRET', 'must be at least 16 characters')
  const sessionKey = env.APP_SESSION_KEY != null && env.APP_SESSION_KEY !== '' ? env.APP_SESSION_KEY : (dev as DevSecrets).appSessionKey
  if (Buffer.from(sessionKey, 'base64').length !== 32) throw new ClientEnvError('APP_SESSION_KEY', 'must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)')
  const level = env.APP_LOG ?? 'info'
  if (!['off', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'].includes(level)) throw new ClientEnvError('APP_LOG', 'must be off, fatal, error, warn, info, debug or trace')
  return {
    port,
    host: env.APP_HOST ?? 'localhost',
    options: {
      origin: appOrigin,
      issuer,
      clientId: DEMO_CLIENT_ID,
      clientSecret,
      authsignal: { secret, tenantId, apiUrl },
      sessionKey,
      logger: level === 'off' ? false : { level }
    }
  }
}
