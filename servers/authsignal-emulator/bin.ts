#!/usr/bin/env node
// The command line: `authsignal-emulator --port 5003 --data ./data.json`. Flags override the environment
// variables of the same meaning (EMULATOR_PORT, EMULATOR_DATA_FILE, …); a bad value stops the start with
// a message naming it, and Ctrl-C (or SIGTERM) stops the server cleanly, saving its state.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { ConfigError, emulatorConfigFromEnv } from './config.js'
import { start } from './index.js'

const FLAGS = {
  port: { variable: 'EMULATOR_PORT', help: 'port to listen on (0: any free port)', fallback: '5003' },
  host: { variable: 'EMULATOR_HOST', help: 'interface to listen on', fallback: 'localhost' },
  data: { variable: 'EMULATOR_DATA_FILE', help: 'JSON state file, kept across restarts (":memory:" for none)', fallback: ':memory:' },
  secret: { variable: 'AUTHSIGNAL_SECRET', help: 'Server API secret the SDK must send', fallback: 'dev-only-emulator-secret' },
  'tenant-id': { variable: 'AUTHSIGNAL_TENANT_ID', help: 'tenant id the browser SDK sends', fallback: 'dev-tenant' },
  'public-url': { variable: 'EMULATOR_PUBLIC_URL', help: 'its own public origin (hosted-page URLs)', fallback: 'http://<host>:<port>' },
  'rp-id': { variable: 'EMULATOR_RP_ID', help: 'WebAuthn relying party id', fallback: 'localhost' },
  'rp-name': { variable: 'EMULATOR_RP_NAME', help: 'WebAuthn relying party name', fallback: 'Passkey demo' },
  'allowed-hosts': { variable: 'EMULATOR_ALLOWED_HOSTS', help: 'comma-separated extra host names it answers for (a proxy\'s)', fallback: 'none' },
  origins: { variable: 'EMULATOR_EXPECTED_ORIGINS', help: 'comma-separated origins allowed for ceremonies, CORS and returns', fallback: 'http://localhost:5001,http://localhost:5002' },
  'token-ttl': { variable: 'EMULATOR_TOKEN_TTL', help: 'token lifetime in seconds', fallback: '600' },
  'user-verification': { variable: 'EMULATOR_USER_VERIFICATION', help: 'knob: "required" or "preferred"', fallback: 'required' },
  'resident-key': { variable: 'EMULATOR_RESIDENT_KEY', help: 'knob: "required" or "preferred"', fallback: 'required' },
  'validate-error-status': { variable: 'EMULATOR_VALIDATE_ERROR_STATUS', help: 'knob: 200, 400 or 401 for bad, expired or mismatched tokens at /validate', fallback: '200' },
  'hosted-enrollment-state': { variable: 'EMULATOR_HOSTED_ENROLLMENT_STATE', help: 'knob: "CHALLENGE_SUCCEEDED" or "ALLOW" after a first enrollment', fallback: 'CHALLENGE_SUCCEEDED' },
  'removed-credential-error': { variable: 'EMULATOR_REMOVED_CREDENTIAL_ERROR', help: 'knob: "invalid_credential" or "unknown_credential"', fallback: 'invalid_credential' },
  'hosted-passkeys': { variable: 'EMULATOR_HOSTED_PASSKEYS', help: 'knob: "on", "off" or "auto" (on when the page\'s host is under the RP ID)', fallback: 'auto' },
  log: { variable: 'EMULATOR_LOG', help: 'log level, or "off"', fallback: 'info' }
} as const

function usage (): string {
  const rows = Object.entries(FLAGS).map(([flag, f]) => `  --${flag.padEnd(25)} ${f.help} (${f.variable}; default ${f.fallback})`)
  return ['Usage: authsignal-emulator [options]', '', 'An offline, Authsignal-compatible server for development and tests.', '', ...rows,
    `  --${'pessimistic'.padEnd(25)} every knob at its pessimistic value (EMULATOR_PESSIMISTIC=1)`,
    `  --${'help'.padEnd(25)} this text`, `  --${'version'.padEnd(25)} the version`, ''].join('\n')
}

let values
try {
  values = parseArgs({
    options: { ...Object.fromEntries(Object.keys(FLAGS).map(flag => [flag, { type: 'string' as const }])), help: { type: 'boolean' }, version: { type: 'boolean' }, pessimistic: { type: 'boolean' } },
    strict: true,
    allowPositionals: false
  }).values
} catch (error) {
  console.error(`authsignal-emulator: ${(error as Error).message}\n\n${usage()}`)
  process.exit(2)
}

if (values.help === true) {
  console.log(usage())
} else if (values.version === true) {
  console.log((JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version)
} else {
  const env = { ...process.env }
  for (const [flag, { variable }] of Object.entries(FLAGS)) {
    const value = (values as Record<string, unknown>)[flag]
    if (typeof value === 'string') env[variable] = value
  }
  if (values.pessimistic === true) env.EMULATOR_PESSIMISTIC = '1'
  let config
  try {
    config = emulatorConfigFromEnv(env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(`authsignal-emulator: configuration error: ${error.message}`)
    process.exit(1)
  }
  try {
    const running = await start(config)
    console.log(`authsignal-emulator: API ${running.apiUrl} (tenant ${config.tenantId}), hosted page ${running.url}/challenge`)
    const stop = (): void => { void running.close() }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  } catch (error) {
    // A busy port or a corrupt data file: say what is wrong, without a stack trace.
    console.error(`authsignal-emulator: cannot start: ${(error as Error).message}`)
    process.exitCode = 1
  }
}
