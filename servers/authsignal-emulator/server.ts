// `npm run emulator`: the local Authsignal-compatible server on EMULATOR_PORT (default 5003).
import { build } from './app.js'
import { ConfigError, emulatorConfigFromEnv } from './config.js'

async function main (): Promise<void> {
  let config
  try {
    config = emulatorConfigFromEnv()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`authsignal-emulator: configuration error: ${error.message}`)
      process.exitCode = 1
      return
    }
    throw error
  }
  const { port, host, ...options } = config
  let app
  try {
    app = await build(options)
    await app.listen({ port, host })
  } catch (error) {
    // A corrupt data file or a busy port: say what is wrong, without a stack trace.
    console.error(`authsignal-emulator: cannot start: ${(error as Error).message}`)
    process.exitCode = 1
    return
  }
  const running = app
  const stop = (): void => { void running.close() }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  console.log(`authsignal-emulator: API ${options.publicUrl ?? ''}/v1 (tenant ${options.tenantId})`)
}

await main()
