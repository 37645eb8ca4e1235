// authsignal-emulator: an offline stand-in for Authsignal. `build()` makes the Fastify server without
// listening (for tests that inject or listen themselves); `start()` builds and listens; the `bin` is the
// command line. Nothing here depends on the passkey plugins: any project using the official SDKs can run it.
// The doctor is its own entry point: `authsignal-emulator/doctor` (and the `authsignal-doctor` bin).
import { createServer } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { build } from './app.js'
import type { EmulatorOptions } from './config.js'
import { isLoopback, loopbackHosts } from './hosts.js'

export { build } from './app.js'
export { ConfigError, DEFAULT_EMULATOR_PORT, DEV_SECRET, DEV_TENANT_ID, emulatorConfigFromEnv, resolveOptions } from './config.js'
export type { ActionOutcome, EmulatorOptions, ResolvedEmulatorOptions } from './config.js'
export type { EmulatorContext } from './context.js'
export type { FaultRule } from './faults.js'
export { totp as totpCode, TOTP_DIGITS, TOTP_PERIOD_SECONDS } from './totp.js'
export type { OutboxMessage } from './outbox.js'

export interface StartOptions extends Omit<EmulatorOptions, 'publicUrl'> {
  /** Port to listen on; 0 picks a free one. @default 5003 */
  port?: number
  /** Interface to listen on. @default 'localhost' */
  host?: string
  /** Public origin, when it is not `http://<host>:<port>` (behind a proxy). */
  publicUrl?: string
}

export interface RunningEmulator {
  app: FastifyInstance
  /** The emulator's origin, e.g. `http://localhost:5003`. */
  url: string
  /** What both SDKs take as their base URL: `<url>/v1`. */
  apiUrl: string
  port: number
  close (): Promise<void>
}

/** A port nobody listens on right now (for `port: 0`: the hosted page's URLs need the port before listening). */
async function freePort (host: string): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, host, () => {
      const address = server.address()
      server.close(() => { typeof address === 'object' && address != null ? resolve(address.port) : reject(new Error('no port')) })
    })
  })
}

/** Builds the emulator and listens; `close()` stops it (state is saved when `dataFile` is a file). */
export async function start (options: StartOptions): Promise<RunningEmulator> {
  const { port: wanted = 5003, host = 'localhost', publicUrl, ...rest } = options
  const port = wanted === 0 ? await freePort(host) : wanted
  const url = new URL(publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`).origin
  // Listening on loopback, the loopback names at this port answer too (the public URL may be a proxy's).
  const allowedHosts = [...(rest.allowedHosts ?? []), ...(isLoopback(host) ? loopbackHosts(port) : [])]
  const app = await build({ ...rest, allowedHosts, publicUrl: url })
  try {
    await app.listen({ port, host })
  } catch (error) {
    await app.close()
    throw error
  }
  return { app, url, apiUrl: `${url}/v1`, port, close: async () => { await app.close() } }
}
