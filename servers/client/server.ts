// `npm run app`: the demo app on APP_PORT (default 5002). See config.ts for the variables.
import { serve } from '../shared/serve.js'
import { build } from './app.js'
import { ClientEnvError, clientConfigFromEnv } from './config.js'

await serve('app', async () => await clientConfigFromEnv(), build,
  options => `${options.origin} (signs in through ${options.issuer})`,
  error => error instanceof ClientEnvError)
