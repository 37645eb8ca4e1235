// What every route of the emulator shares: resolved options, the state, the token issuer, the faults.
import type { ResolvedEmulatorOptions } from './config.js'
import type { FaultController } from './faults.js'
import type { Outbox } from './outbox.js'
import type { EmulatorStore } from './store.js'
import type { TokenIssuer } from './tokens.js'

export interface EmulatorContext {
  options: ResolvedEmulatorOptions
  store: EmulatorStore
  tokens: TokenIssuer
  faults: FaultController
  /** Email and SMS messages the emulator would have sent (codes included). */
  outbox: Outbox
  /** The last API requests received (method and path, newest last, at most 1000): tests assert who called. */
  requests: Array<{ method: string, path: string }>
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The emulator's state and knobs, for tests running it in-process. */
    emulator: EmulatorContext
  }
}
