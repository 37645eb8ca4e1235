#!/usr/bin/env node
// `authsignal-doctor`: checks a configuration against an Authsignal tenant (or the emulator) and prints a
// checklist in words, with the fix for each failure. Flags override the environment variables the demo
// servers read. Exit code 0 when every check passes, 1 otherwise.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { DEFAULT_DOCTOR_ACTIONS, DEFAULT_DOCTOR_USER, formatDoctorReport, runDoctor } from './doctor.js'

const FLAGS = {
  'api-url': { variable: 'AUTHSIGNAL_API_URL', help: 'the region\'s API URL, e.g. https://api.authsignal.com/v1' },
  secret: { variable: 'AUTHSIGNAL_SECRET', help: 'Server API secret (prefer the variable: flags end up in shell history)' },
  'tenant-id': { variable: 'AUTHSIGNAL_TENANT_ID', help: 'tenant id the browser SDK sends' },
  'idp-origin': { variable: 'IDP_ISSUER', help: 'the IdP\'s origin or issuer, e.g. http://localhost:5001' },
  'app-origin': { variable: 'APP_ORIGIN', help: 'the app\'s origin, e.g. http://localhost:5002' },
  'hosted-origin': { variable: 'AUTHSIGNAL_HOSTED_ORIGIN', help: 'the hosted page origin the IdP is set up for (default: the API\'s origin)' },
  'password-mfa-action': { variable: undefined, help: `password sign-in's MFA action (default ${DEFAULT_DOCTOR_ACTIONS.passwordMfa})` },
  'passkey-action': { variable: undefined, help: `passkey sign-in's action (default ${DEFAULT_DOCTOR_ACTIONS.passkeySignIn})` },
  'enrollment-action': { variable: undefined, help: `passkey enrollment's action (default ${DEFAULT_DOCTOR_ACTIONS.enrollment})` },
  'user-id': { variable: undefined, help: `user id the checks track actions for, deleted afterwards (default ${DEFAULT_DOCTOR_USER})` },
  timeout: { variable: undefined, help: 'per-request timeout in milliseconds (default 10000)' }
} as const

function usage (): string {
  const rows = Object.entries(FLAGS).map(([flag, f]) => `  --${flag.padEnd(21)} ${f.help}${f.variable != null ? ` (${f.variable})` : ''}`)
  return ['Usage: authsignal-doctor [options]', '', 'Checks a configuration against an Authsignal tenant and prints what to fix.', '', ...rows,
    `  --${'help'.padEnd(21)} this text`, `  --${'version'.padEnd(21)} the version`, ''].join('\n')
}

let values: Record<string, string | boolean | undefined>
try {
  values = parseArgs({
    options: { ...Object.fromEntries(Object.keys(FLAGS).map(flag => [flag, { type: 'string' as const }])), help: { type: 'boolean' }, version: { type: 'boolean' } },
    strict: true,
    allowPositionals: false
  }).values
} catch (error) {
  console.error(`authsignal-doctor: ${(error as Error).message}\n\n${usage()}`)
  process.exitCode = 1
  values = { help: false, version: false, failed: true }
}

const value = (flag: keyof typeof FLAGS): string | undefined => {
  const given = values[flag]
  if (typeof given === 'string') return given
  const variable = FLAGS[flag].variable
  return variable == null ? undefined : process.env[variable]
}

if (values.failed === true) {
  // usage already printed
} else if (values.help === true) {
  console.log(usage())
} else if (values.version === true) {
  console.log((JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version)
} else {
  const timeout = value('timeout')
  const timeoutMs = timeout == null ? undefined : Number(timeout)
  if (timeoutMs != null && (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000)) {
    console.error('authsignal-doctor: --timeout must be a number of milliseconds from 100 to 120000')
    process.exitCode = 1
  } else {
    const options = {
      apiUrl: value('api-url'),
      secret: value('secret'),
      tenantId: value('tenant-id'),
      idpOrigin: value('idp-origin'),
      appOrigin: value('app-origin'),
      hostedOrigin: value('hosted-origin'),
      userId: value('user-id'),
      timeoutMs,
      actions: Object.fromEntries(([['passwordMfa', 'password-mfa-action'], ['passkeySignIn', 'passkey-action'], ['enrollment', 'enrollment-action']] as const)
        .flatMap(([key, flag]) => value(flag) != null ? [[key, value(flag)]] : []))
    }
    const report = await runDoctor(options)
    console.log(formatDoctorReport(report, { apiUrl: options.apiUrl, tenantId: options.tenantId }))
    process.exitCode = report.ok ? 0 : 1
  }
}
