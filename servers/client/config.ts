// The demo app's configuration from the environment, validated at start with a message naming the bad
// variable. Development defaults point at the local IdP and emulator with secrets generated once into
// the git-ignored data folder; production (NODE_ENV=production) must supply every secret.
import { DEV_SECRET, DEV_TENANT_ID } from 'authsignal-emulator'
import { DEMO_CLIENT_ID } from '../idp/config.js'
import { loadOrCreateDevSecrets, readDevSecrets, type DevSecrets } from '../shared/dev-secrets.js'
import { envReader } from '../shared/env.js'
import type { ClientAppOptions } from './app.js'

export const DEFAULT_APP_PORT = 5002

export class ClientEnvError extends Error {
  constructor (variable: string, problem: string) {
    super(`${variable} ${problem}`)
    this.name = 'ClientEnvError'
  }
}

const read = envReader((variable, problem) => new ClientEnvError(variable, problem))

export interface ClientEnvConfig {
  port: number
  host: string
  options: ClientAppOptions
}

export async function clientConfigFromEnv (
  env: NodeJS.ProcessEnv = process.env,
  devSecrets: () => Promise<DevSecrets> = loadOrCreateDevSecrets,
  devFile: () => Promise<DevSecrets | undefined> = readDevSecrets
): Promise<ClientEnvConfig> {
  const port = read.port('APP_PORT', env.APP_PORT, DEFAULT_APP_PORT)
  const appOrigin = read.origin('APP_ORIGIN', env.APP_ORIGIN ?? `http://localhost:${port}`)
  const issuer = read.origin('IDP_ISSUER', env.IDP_ISSUER ?? 'http://localhost:5001')
  const required = ['AUTHSIGNAL_SECRET', 'DEMO_CLIENT_SECRET', 'APP_SESSION_KEY'] as const
  read.requireInProduction(env, required)
  // Nor may production fall back to the local emulator's tenant and API or to localhost origins.
  read.requireInProduction(env, ['AUTHSIGNAL_TENANT_ID', 'AUTHSIGNAL_API_URL', 'APP_ORIGIN', 'IDP_ISSUER'])
  const authsignal = read.authsignal(env, { secret: DEV_SECRET, tenantId: DEV_TENANT_ID, apiUrl: 'http://localhost:5003/v1' })
  const dev = required.slice(1).some(variable => !read.present(env[variable])) ? await devSecrets() : undefined
  const clientSecret = read.present(env.DEMO_CLIENT_SECRET) ? env.DEMO_CLIENT_SECRET : (dev as DevSecrets).clientSecret
  if (clientSecret.length < 16) throw new ClientEnvError('DEMO_CLIENT_SECRET', 'must be at least 16 characters')
  const sessionKey = read.present(env.APP_SESSION_KEY) ? env.APP_SESSION_KEY : (dev as DevSecrets).appSessionKey
  if (Buffer.from(sessionKey, 'base64').length !== 32) throw new ClientEnvError('APP_SESSION_KEY', 'must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)')
  // In production, published and weak values are refused too, and the development secrets file's (issue 12, finding 4).
  await read.refuseWeakSecrets(env, { AUTHSIGNAL_SECRET: authsignal.secret, DEMO_CLIENT_SECRET: clientSecret, APP_SESSION_KEY: sessionKey }, devFile)
  const logger = read.logger('APP_LOG', env.APP_LOG)
  const host = env.APP_HOST ?? 'localhost'
  const allowedHosts = read.allowedHosts('APP_ALLOWED_HOSTS', env.APP_ALLOWED_HOSTS, { host, port })
  return {
    port,
    host,
    options: {
      origin: appOrigin,
      allowedHosts,
      issuer,
      clientId: DEMO_CLIENT_ID,
      clientSecret,
      authsignal,
      sessionKey,
      logger,
      // Several instances share their state through Redis (REDIS_URL); without it, bounded memory.
      ...(read.present(env.REDIS_URL) ? { redis: read.redisUrl('REDIS_URL', env.REDIS_URL) } : {}),
      ...(read.present(env.REDIS_KEY_PREFIX) ? { keyPrefix: env.REDIS_KEY_PREFIX } : {})
    }
  }
}
