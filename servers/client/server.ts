// `npm run app`: the demo app on APP_PORT (default 5002). See config.ts for the variables.
import { build } from './app.js'
import { ClientEnvError, clientConfigFromEnv } from './config.js'

async function main (): Promise<void> {
  let config
  try {
    config = await clientConfigFromEnv()
  } catch (error) {
    if (error instanceof ClientEnvError) {
      console.error(`app: configuration error: ${error.message}`)
      process.exitCode = 1
      return
    }
    throw error
  }
  const app = await build(config.options)
  await app.listen({ port: config.port, host: config.host })
  const stop = (): void => { void app.close() }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  console.log(`app: ${config.options.origin} (signs in through ${config.options.issuer})`)
}

await main()
