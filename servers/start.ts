// `npm start`: the whole demo in one process — the local Authsignal server (unless AUTHSIGNAL_SECRET
// points at the real Authsignal), the IdP and the app — with the URLs and demo accounts printed, and a
// clean stop on Ctrl-C. Ports: EMULATOR_PORT (5003), IDP_PORT (5001), APP_PORT (5002).
import { join } from 'node:path'
import { ConfigError, emulatorConfigFromEnv, start as startEmulator } from 'authsignal-emulator'
import { build as buildClient } from './client/app.js'
import { ClientEnvError, clientConfigFromEnv } from './client/config.js'
import { build as buildIdp } from './idp/app.js'
import { IdpEnvError, idpConfigFromEnv } from './idp/config.js'
import { loadOrCreateDevSecrets, type DevSecrets } from './shared/dev-secrets.js'

/** The emulator keeps its state (users, passkeys) here across restarts of the demo. */
const EMULATOR_DATA_FILE = join(import.meta.dirname, '..', 'data', 'authsignal-emulator.json')

class PortError extends Error {}

/** Each server's environment: the defaults of one follow the ports chosen for the others. */
function demoEnvironment (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  for (const variable of ['EMULATOR_PORT', 'IDP_PORT', 'APP_PORT']) {
    const value = env[variable]
    if (value != null && value !== '' && !(/^\d{1,5}$/.test(value) && Number(value) <= 65535)) {
      throw new PortError(`${variable} must be a port number, got ${JSON.stringify(value)}`)
    }
  }
  const emulatorPort = env.EMULATOR_PORT ?? '5003'
  const idpPort = env.IDP_PORT ?? '5001'
  const appPort = env.APP_PORT ?? '5002'
  const idpOrigin = env.IDP_ISSUER ?? `http://localhost:${idpPort}`
  const appOrigin = env.APP_ORIGIN ?? `http://localhost:${appPort}`
  return {
    ...env,
    EMULATOR_PORT: emulatorPort,
    IDP_PORT: idpPort,
    APP_PORT: appPort,
    IDP_ISSUER: idpOrigin,
    APP_ORIGIN: appOrigin,
    EMULATOR_EXPECTED_ORIGINS: env.EMULATOR_EXPECTED_ORIGINS ?? `${idpOrigin},${appOrigin}`,
    EMULATOR_DATA_FILE: env.EMULATOR_DATA_FILE ?? EMULATOR_DATA_FILE,
    AUTHSIGNAL_API_URL: env.AUTHSIGNAL_API_URL ?? `http://localhost:${emulatorPort}/v1`,
    // A quiet console for the demo: warnings and errors only, unless asked otherwise.
    EMULATOR_LOG: env.EMULATOR_LOG ?? 'warn',
    IDP_LOG: env.IDP_LOG ?? 'warn',
    APP_LOG: env.APP_LOG ?? 'warn'
  }
}

async function main (): Promise<void> {
  let env: NodeJS.ProcessEnv
  try {
    env = demoEnvironment(process.env)
  } catch (error) {
    if (!(error instanceof PortError)) throw error
    console.error(`start: configuration error: ${error.message}`)
    process.exitCode = 1
    return
  }
  // With a secret of its own, the demo talks to the real Authsignal (tenant and region from the env).
  const useEmulator = env.AUTHSIGNAL_SECRET == null || env.AUTHSIGNAL_SECRET === ''
  let secrets: DevSecrets | undefined
  const devSecrets = async (): Promise<DevSecrets> => (secrets ??= await loadOrCreateDevSecrets())

  for (const variable of ['AUTHSIGNAL_TENANT_ID', 'AUTHSIGNAL_API_URL']) {
    if (!useEmulator && (process.env[variable] == null || process.env[variable] === '')) {
      console.error(`start: configuration error: ${variable} must be set with AUTHSIGNAL_SECRET (the real Authsignal: your tenant id and region's API URL, e.g. https://api.authsignal.com/v1)`)
      process.exitCode = 1
      return
    }
  }

  let configs
  try {
    configs = {
      emulator: useEmulator ? emulatorConfigFromEnv(env) : undefined,
      idp: await idpConfigFromEnv(env, devSecrets),
      client: await clientConfigFromEnv(env, devSecrets)
    }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof IdpEnvError || error instanceof ClientEnvError) {
      console.error(`start: configuration error: ${error.message}`)
      process.exitCode = 1
      return
    }
    throw error
  }

  const running: Array<{ close: () => Promise<unknown> }> = []
  let emulatorUrl: string | undefined
  const stop = async (): Promise<void> => {
    // The app first, the emulator last: nothing is left calling a server that is gone.
    for (const app of running.reverse()) await app.close()
  }
  try {
    if (configs.emulator != null) {
      const emulator = await startEmulator(configs.emulator)
      running.push(emulator)
      emulatorUrl = emulator.url
    }
    const idp = await buildIdp(configs.idp.options)
    running.push(idp)
    await idp.listen({ port: configs.idp.port, host: configs.idp.host })
    const client = await buildClient(configs.client.options)
    running.push(client)
    await client.listen({ port: configs.client.port, host: configs.client.host })
  } catch (error) {
    console.error(`start: cannot start: ${(error as Error).message}`)
    await stop()
    process.exitCode = 1
    return
  }

  const authsignal = configs.emulator != null
    ? `${emulatorUrl ?? ''}/v1   (local Authsignal emulator, tenant ${configs.emulator.tenantId})`
    : `${configs.idp.options.authsignal.apiUrl}   (Authsignal, tenant ${configs.idp.options.authsignal.tenantId})`
  console.log([
    '',
    'Passkey sign-in demo is running:',
    `  App         ${configs.client.options.origin}   ← start here`,
    `  IdP         ${configs.idp.options.issuer}`,
    `  Authsignal  ${authsignal}`,
    '',
    'Demo accounts: alice / alice, bob / bob',
    'Press Ctrl-C to stop.',
    ''
  ].join('\n'))

  let stopping = false
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return
    stopping = true
    console.log(`start: ${signal}, stopping…`)
    stop().then(() => { console.log('start: stopped') }, (error: unknown) => {
      console.error(`start: error while stopping: ${(error as Error).message}`)
      process.exitCode = 1
    })
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
}

await main()
