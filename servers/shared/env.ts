// Reading the demo servers' settings from the environment: one set of checks, each failure naming the
// variable, with the error class of the server asking (so its callers can catch exactly that).
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

    /** In production, each of `variables` must be set: development defaults are refused. */
    requireInProduction (env: NodeJS.ProcessEnv, variables: readonly string[]): void {
      if (env.NODE_ENV !== 'production') return
      for (const variable of variables) {
        if (!present(env[variable])) throw fail(variable, 'must be set when NODE_ENV=production (development defaults are refused)')
      }
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
