// `npm run idp`: the demo identity provider on IDP_PORT (default 5001). See config.ts for the variables.
import { serve } from '../shared/serve.js'
import { build } from './app.js'
import { IdpEnvError, idpConfigFromEnv } from './config.js'

await serve('idp', async () => await idpConfigFromEnv(), build,
  options => `issuer ${options.issuer} (accounts alice/alice, bob/bob; Authsignal API ${options.authsignal.apiUrl})`,
  error => error instanceof IdpEnvError)
