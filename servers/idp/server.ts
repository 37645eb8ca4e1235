// `npm run idp`: the demo identity provider on IDP_PORT (default 5001). See config.ts for the variables.
import { build } from './app.js'
import { IdpEnvError, idpConfigFromEnv } from './config.js'

async function main (): Promise<void> {
  let config
  try {
    config = await idpConfigFromEnv()
  } catch (error) {
    if (error instanceof IdpEnvError) {
      console.error(`idp: configuration error: ${error.message}`)
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
  console.log(`idp: issuer ${config.options.issuer} (accounts alice/alice, bob/bob; Authsignal API ${config.options.authsignal.apiUrl})`)
}

await main()
