// `npm run emulator`: the local Authsignal-compatible server on EMULATOR_PORT (default 5003).
import { serve } from '../shared/serve.js'
import { build } from './app.js'
import { ConfigError, emulatorConfigFromEnv } from './config.js'

await serve('authsignal-emulator', () => {
  const { port, host, ...options } = emulatorConfigFromEnv()
  return { port, host, options }
}, build, options => `API ${options.publicUrl ?? ''}/v1 (tenant ${options.tenantId})`, error => error instanceof ConfigError)
