// What every route of the emulator shares: resolved options, the state, the token issuer, the faults.
import type { ResolvedEmulatorOptions } from './config.js'
import type { FaultController } from './faults.js'
import type { EmulatorStore } from './store.js'
import type { TokenIssuer } from './tokens.js'

export interface EmulatorContext {
  options: ResolvedEmulatorOptions
  store: EmulatorStore
  tokens: TokenIssuer
  faults: FaultController
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The emulator's state and knobs, for tests running it in-process. */
    emulator: EmulatorContext
  }
}
