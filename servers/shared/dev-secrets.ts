// Development secrets for the demo servers: generated once into the git-ignored data folder and reused,
// so restarts keep sessions, signed tokens and the client registration valid. Never oidc-provider's
// public development keys. Production supplies every one of these through the environment instead.
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { exportJWK, generateKeyPair, type JWK } from 'jose'

export interface DevSecrets {
  /** Secret of the demo client app registered at the IdP (client_secret_basic). */
  clientSecret: string
  /** oidc-provider `cookies.keys` (first signs, all verify). */
  idpCookieKeys: string[]
  /** @fastify/secure-session key of the demo app: 32 bytes, base64. */
  appSessionKey: string
  /** oidc-provider signing keys (private JWKs). */
  jwks: { keys: JWK[] }
}

export const DEFAULT_DATA_DIR = join(import.meta.dirname, '..', '..', 'data')

export async function generateDevSecrets (): Promise<DevSecrets> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const jwk = await exportJWK(privateKey)
  return {
    clientSecret: randomBytes(32).toString('base64url'),
    idpCookieKeys: [randomBytes(32).toString('base64url')],
    appSessionKey: randomBytes(32).toString('base64'),
    jwks: { keys: [{ ...jwk, kid: randomUUID(), alg: 'RS256', use: 'sig' }] }
  }
}

/**
 * The development secrets file's values when it exists, without creating it: production refuses them
 * (issue 12, finding 4). Undefined when there is no readable file.
 */
export async function readDevSecrets (dataDir = DEFAULT_DATA_DIR): Promise<DevSecrets | undefined> {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, 'dev-secrets.json'), 'utf8')) as Partial<DevSecrets>
    if (typeof parsed.clientSecret !== 'string' || typeof parsed.appSessionKey !== 'string' || !Array.isArray(parsed.idpCookieKeys) || !Array.isArray(parsed.jwks?.keys)) return undefined
    return parsed as DevSecrets
  } catch {
    return undefined
  }
}

/** Reads `<dataDir>/dev-secrets.json`, creating it (mode 0600, atomically) on first use. */
export async function loadOrCreateDevSecrets (dataDir = DEFAULT_DATA_DIR): Promise<DevSecrets> {
  const file = join(dataDir, 'dev-secrets.json')
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const secrets = await generateDevSecrets()
  mkdirSync(dataDir, { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(secrets, null, 2), { mode: 0o600 })
  renameSync(tmp, file)
  return secrets
}
