// `authsignal-doctor`: checks a configuration against an Authsignal tenant (or this emulator) and says, in
// words, what is wrong and how to fix it. It uses the official Node SDK and documented endpoints only:
// Server API getUser / track / deleteUser, the Client API calls a browser makes (a passkey challenge and
// authentication options, with the tenant id), a CORS preflight, and the IdP's own response headers.
//
// Its footprint on the tenant is small and said in its output: a dedicated user id (default
// `authsignal-doctor-check`) is tracked for the plugins' actions and deleted again at the end (when it did
// not exist before); two WebAuthn challenges are requested and left to expire. No secret or token is printed.
import { Authsignal, AuthsignalError } from '@authsignal/node'

export interface DoctorActions {
  /** Password sign-in's MFA action (fastify-passkey-login `actions.passwordMfa`). @default 'signIn' */
  passwordMfa: string
  /** Passkey sign-in's action (`<passkey-signin-button action>`). @default 'signInWithPasskey' */
  passkeySignIn: string
  /** Passkey enrollment's action (fastify-passkey-enroll). @default 'add-passkey' */
  enrollment: string
}

export interface DoctorOptions {
  /** The region's API base URL, e.g. https://api.authsignal.com/v1 (AUTHSIGNAL_API_URL). */
  apiUrl?: string
  /** Server API secret (AUTHSIGNAL_SECRET). Never printed. */
  secret?: string
  /** Tenant id the browser SDK sends (AUTHSIGNAL_TENANT_ID). */
  tenantId?: string
  /** The IdP's issuer or origin (IDP_ISSUER): passkeys are used there, and its CSP is read. */
  idpOrigin?: string
  /** The app's origin (APP_ORIGIN): passkeys are enrolled there. */
  appOrigin?: string
  /** The hosted page origin the IdP was configured with (AUTHSIGNAL_HOSTED_ORIGIN; the IdP's default is the API's origin). */
  hostedOrigin?: string
  actions?: Partial<DoctorActions>
  /** The user id the checks track actions for. @default 'authsignal-doctor-check' */
  userId?: string
  /** Per request. @default 10000 */
  timeoutMs?: number
  /** Where to look when the secret is refused: the documented regions. */
  regions?: Array<{ name: string, url: string }>
}

export type CheckStatus = 'pass' | 'fail' | 'skip'

export interface DoctorCheck {
  name: string
  status: CheckStatus
  /** What was found, in words. */
  message: string
  /** What to change, for a failed check. */
  fix?: string
}

export interface DoctorReport {
  ok: boolean
  checks: DoctorCheck[]
  /** What the checks did to the tenant. */
  sideEffects: string[]
}

export const DEFAULT_DOCTOR_ACTIONS: DoctorActions = { passwordMfa: 'signIn', passkeySignIn: 'signInWithPasskey', enrollment: 'add-passkey' }
export const DEFAULT_DOCTOR_USER = 'authsignal-doctor-check'

/** docs.authsignal.com, API reference, "Region selection". */
export const AUTHSIGNAL_REGIONS = [
  { name: 'US (Oregon)', url: 'https://api.authsignal.com/v1' },
  { name: 'AU (Sydney)', url: 'https://au.api.authsignal.com/v1' },
  { name: 'EU (Dublin)', url: 'https://eu.api.authsignal.com/v1' }
]

const ACTION_CODE = /^[a-zA-Z0-9_-]{1,64}$/

class Timeout extends Error {}

/** A client whose every request has a socket timeout (the SDK sets none), without touching the global axios. */
function sdkClient (secret: string, apiUrl: string, timeoutMs: number): Authsignal {
  const client = new Authsignal({ apiSecretKey: secret, apiUrl, retries: 0 })
  const hook = client as unknown as { getRequestConfig?: () => Record<string, unknown> }
  const config = hook.getRequestConfig?.bind(client)
  if (config != null) hook.getRequestConfig = () => ({ ...config(), timeout: timeoutMs })
  return client
}

async function within<T> (ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([work, new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new Timeout()) }, ms) })])
  } finally {
    clearTimeout(timer)
  }
}

/** The browser SDK's tenant authentication: Basic base64(encodeURIComponent(tenantId)), no colon. */
const tenantAuth = (tenantId: string): string => `Basic ${Buffer.from(encodeURIComponent(tenantId)).toString('base64')}`

/** The payload of a JWT, unverified (only to read what the tenant put in it), or null. */
function jwtPayload (token: unknown): Record<string, unknown> | null {
  if (typeof token !== 'string') return null
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))
    return payload != null && typeof payload === 'object' ? payload as Record<string, unknown> : null
  } catch {
    return null
  }
}

function originOf (value: string | undefined): string | null {
  if (value == null || value === '') return null
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null
  } catch {
    return null
  }
}

const isLoopbackHost = (host: string): boolean => host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host)
const isIp = (host: string): boolean => /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[')
/** WebAuthn: a page may use passkeys of an RP ID equal to its host or a registrable suffix of it. */
const underRpId = (host: string, rpId: string): boolean => host === rpId || host.endsWith(`.${rpId}`)

/** The longest domain suffix two hosts share (a candidate RP ID), or null. */
function commonSuffix (a: string, b: string): string | null {
  const x = a.split('.').reverse()
  const y = b.split('.').reverse()
  const shared: string[] = []
  for (let i = 0; i < Math.min(x.length, y.length) && x[i] === y[i]; i++) shared.push(x[i] as string)
  if (shared.length === 0) return null
  // A bare public suffix ("com") is no RP ID; a one-label name is fine only for localhost.
  if (shared.length === 1 && shared[0] !== 'localhost') return null
  return shared.reverse().join('.')
}

/** The directives of a CSP header, by name. */
function cspDirectives (header: string | null): Map<string, string[]> {
  const directives = new Map<string, string[]>()
  for (const part of (header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/)
    if (name != null && name !== '' && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), values)
  }
  return directives
}

/** Whether a CSP source list lets `origin` through (exact origins, `*`, or a scheme source such as https:). */
function cspAllows (sources: string[] | undefined, origin: string): boolean {
  if (sources == null) return true
  const { protocol, host } = new URL(origin)
  return sources.some(source => {
    const s = source.replace(/\/+$/, '')
    if (s === '*' || s === protocol) return true
    if (s.startsWith("'")) return false
    try { return new URL(s.includes('://') ? s : `${protocol}//${s}`).origin === origin } catch { return s === host }
  })
}

/** Whether the API answered (an AuthsignalError without a response is the SDK's wrapping of a network error). */
const answered = (error: unknown): error is AuthsignalError => error instanceof AuthsignalError && error.axiosError?.response != null

function describeError (error: unknown): string {
  if (error instanceof Timeout || (error instanceof Error && error.name === 'TimeoutError')) return 'no answer in time'
  if (answered(error)) return `HTTP ${error.statusCode}${error.errorCode != null ? ` ${error.errorCode}` : ''}`
  return 'the connection failed'
}

export async function runDoctor (options: DoctorOptions): Promise<DoctorReport> {
  const checks: DoctorCheck[] = []
  const sideEffects: string[] = []
  const add = (check: DoctorCheck): DoctorCheck => { checks.push(check); return check }
  const pass = (name: string, message: string): DoctorCheck => add({ name, status: 'pass', message })
  const fail = (name: string, message: string, fix: string): DoctorCheck => add({ name, status: 'fail', message, fix })
  const skip = (name: string, message: string): DoctorCheck => add({ name, status: 'skip', message })
  const report = (): DoctorReport => ({ ok: checks.every(c => c.status !== 'fail'), checks, sideEffects })

  const actions = { ...DEFAULT_DOCTOR_ACTIONS, ...options.actions }
  const userId = options.userId ?? DEFAULT_DOCTOR_USER
  const timeoutMs = options.timeoutMs ?? 10_000
  const regions = options.regions ?? AUTHSIGNAL_REGIONS
  const idpOrigin = originOf(options.idpOrigin)
  const appOrigin = originOf(options.appOrigin)

  // ---- the configuration itself ----
  const missing = ([['AUTHSIGNAL_SECRET (--secret)', options.secret], ['AUTHSIGNAL_TENANT_ID (--tenant-id)', options.tenantId], ['AUTHSIGNAL_API_URL (--api-url)', options.apiUrl]] as const)
    .filter(([, value]) => value == null || value === '').map(([name]) => name)
  if (missing.length > 0) {
    fail('Configuration', `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set.`,
      'Copy the Server API secret and tenant id from the Authsignal Portal (Settings → API keys) and your region\'s API URL, e.g. https://api.authsignal.com/v1.')
    return report()
  }
  const secret = options.secret as string
  const tenantId = options.tenantId as string
  for (const [name, given, origin] of [['IdP origin (IDP_ISSUER, --idp-origin)', options.idpOrigin, idpOrigin], ['App origin (APP_ORIGIN, --app-origin)', options.appOrigin, appOrigin]] as const) {
    if (given != null && given !== '' && origin == null) fail(name, `${JSON.stringify(given)} is not an http(s) URL.`, 'Give the origin as scheme://host[:port], e.g. https://login.example.com.')
  }
  for (const [key, code] of Object.entries(actions)) {
    if (!ACTION_CODE.test(code)) fail(`Action code (${key})`, `${JSON.stringify(code)} is not a valid action code.`, 'Action codes are 1–64 letters, digits, "_" or "-".')
  }

  let apiUrl: URL
  try {
    apiUrl = new URL(options.apiUrl as string)
    if (apiUrl.protocol !== 'https:' && apiUrl.protocol !== 'http:') throw new TypeError('scheme')
  } catch {
    fail('API URL', `${JSON.stringify(options.apiUrl)} is not a URL.`, 'Set AUTHSIGNAL_API_URL to your region\'s API URL, e.g. https://api.authsignal.com/v1.')
    return report()
  }
  const base = apiUrl.href.replace(/\/+$/, '')
  const region = regions.find(r => r.url === base)
  if (!/\/v1$/.test(apiUrl.pathname.replace(/\/+$/, ''))) {
    fail('API URL', `${base} does not end in /v1: the SDKs append paths such as /users/… to it.`, `Set AUTHSIGNAL_API_URL to ${apiUrl.origin}/v1.`)
    return report()
  } else if (apiUrl.protocol !== 'https:' && !isLoopbackHost(apiUrl.hostname)) {
    fail('API URL', `${base} is not HTTPS: the secret would travel in clear text.`, `Use https://${apiUrl.host}${apiUrl.pathname}.`)
  } else {
    pass('API URL', region != null ? `${base} is the ${region.name} region.` : `${base} is not one of Authsignal's regions (fine for the local emulator).`)
  }

  // ---- credentials and region ----
  const client = sdkClient(secret, base, timeoutMs)
  let existing: Record<string, unknown>
  try {
    existing = await within(timeoutMs, client.getUser({ userId })) as unknown as Record<string, unknown>
    pass('Credentials', `the Server API at ${base} accepts the secret.`)
  } catch (error) {
    if (answered(error) && error.statusCode === 401) {
      let owner: { name: string, url: string } | undefined
      for (const other of regions.filter(r => r.url !== base)) {
        try {
          await within(timeoutMs, sdkClient(secret, other.url, timeoutMs).getUser({ userId }))
          owner = other
          break
        } catch {}
      }
      if (owner != null) {
        fail('Region', `the secret is refused at ${base} but accepted by the ${owner.name} region.`, `Set AUTHSIGNAL_API_URL=${owner.url} (the browser SDK takes the same URL).`)
      } else {
        fail('Credentials', `the Server API at ${base} refuses the secret (401 unauthorized), and no other region accepts it.`,
          'Copy the Server API secret from the Authsignal Portal (Settings → API keys) of this tenant into AUTHSIGNAL_SECRET.')
      }
    } else if (answered(error)) {
      fail('Credentials', `${base}/users/… answered ${describeError(error)}, not what the Authsignal API answers.`, 'Check AUTHSIGNAL_API_URL: it should be the region\'s API URL ending in /v1.')
    } else {
      fail('Reachability', `${base} cannot be reached (${describeError(error)}).`, 'Check the URL, your network and any proxy; for the local emulator, start it first (npx authsignal-emulator).')
    }
    skip('Tenant, actions and passkeys', 'not checked: they need working credentials.')
    return report()
  }

  if (existing.isEnrolled === true) {
    fail('Doctor user', `the user id ${JSON.stringify(userId)} belongs to an enrolled user; the checks would track actions for them.`, 'Pass --user-id with an id no real user has.')
    return report()
  }
  const existed = ['email', 'phoneNumber', 'username', 'displayName'].some(k => existing[k] != null)

  // ---- actions ----
  let hostedUrl: URL | undefined
  let claims: Record<string, unknown> | null = null
  const tracked: string[] = []
  const trackCheck = async (name: string, action: string, attributes: Record<string, unknown>): Promise<Record<string, unknown> | undefined> => {
    try {
      const answer = await within(timeoutMs, client.track({ userId, action, attributes })) as unknown as Record<string, unknown>
      tracked.push(action)
      return answer
    } catch (error) {
      if (answered(error)) tracked.push(action)
      fail(name, `track ${JSON.stringify(action)} failed (${describeError(error)}${answered(error) && error.errorDescription != null ? `: ${error.errorDescription}` : ''}).`,
        answered(error) && /AUTHENTICATOR_NOT_FOUND/i.test(`${error.errorCode ?? ''}`)
          ? 'Turn on at least one authenticator (Passkey) in the Authsignal Portal → Authenticators.'
          : `Check the action ${JSON.stringify(action)} in the Authsignal Portal → Actions.`)
      return undefined
    }
  }

  const signIn = await trackCheck(`Action ${actions.passwordMfa}`, actions.passwordMfa, idpOrigin != null ? { redirectUrl: `${idpOrigin}/authsignal-doctor` } : {})
  if (signIn != null) {
    const state = String(signIn.state)
    claims = jwtPayload(signIn.token)
    if (state !== 'ALLOW' && state !== 'CHALLENGE_REQUIRED') {
      fail(`Action ${actions.passwordMfa}`, `a user without an authenticator gets ${state}: password sign-in would be refused for everyone.`,
        `In the Authsignal Portal → Actions → ${actions.passwordMfa}, set the default outcome to Challenge (or Allow) and check its rules.`)
    } else if (typeof signIn.url !== 'string' || typeof signIn.token !== 'string') {
      fail(`Action ${actions.passwordMfa}`, 'track answered without a hosted page URL or token.', 'Check the pre-built UI settings in the Authsignal Portal.')
    } else {
      hostedUrl = new URL(signIn.url)
      pass(`Action ${actions.passwordMfa}`, `tracked (${state}); its hosted page is at ${hostedUrl.origin}.`)
    }
    const allowed = Array.isArray(signIn.allowedVerificationMethods) ? signIn.allowedVerificationMethods as string[] : []
    if (allowed.includes('PASSKEY')) pass('Passkeys enabled', `the tenant allows ${allowed.join(', ')}.`)
    else fail('Passkeys enabled', `the tenant allows ${allowed.length === 0 ? 'no method' : allowed.join(', ')}, not PASSKEY.`, 'Turn on Passkey in the Authsignal Portal → Authenticators.')
  }

  const enroll = await trackCheck(`Action ${actions.enrollment}`, actions.enrollment, { scope: 'add:authenticators' })
  if (enroll != null) {
    const scope = String(jwtPayload(enroll.token)?.scope ?? '')
    if (enroll.state === 'BLOCK' || enroll.state === 'REVIEW_REQUIRED') {
      fail(`Action ${actions.enrollment}`, `tracking it answers ${String(enroll.state)}: nobody could add a passkey.`, `In the Authsignal Portal → Actions → ${actions.enrollment}, set the default outcome to Allow.`)
    } else if (!scope.split(' ').includes('add:authenticators')) {
      fail(`Action ${actions.enrollment}`, 'its token does not carry the add:authenticators scope asked for: users with an authenticator could not add a passkey.', 'Check the action\'s settings in the Authsignal Portal.')
    } else {
      pass(`Action ${actions.enrollment}`, 'tracked; its token may add authenticators.')
    }
  }

  // ---- the tenant id, as the browser SDK sends it ----
  const clientCall = async (path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number, body: Record<string, unknown> | null, headers: Headers }> => {
    const response = await fetch(`${base}/client${path}`, {
      method: 'POST',
      headers: { authorization: tenantAuth(tenantId), 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs)
    })
    let parsed: Record<string, unknown> | null = null
    try { parsed = await response.json() as Record<string, unknown> } catch {}
    return { status: response.status, body: parsed, headers: response.headers }
  }
  const claimedTenant = typeof (claims?.other as Record<string, unknown> | undefined)?.tenantId === 'string'
    ? (claims?.other as Record<string, string>).tenantId
    : undefined
  let tenantOk = false
  try {
    const challenge = await clientCall('/challenge', { action: actions.passkeySignIn })
    if (challenge.status === 200 && typeof challenge.body?.challengeId === 'string') {
      tenantOk = true
      pass('Tenant id', `the Client API accepts tenant ${tenantId}${claimedTenant != null && claimedTenant !== tenantId ? `, but the secret's tokens name tenant ${claimedTenant}` : ''}.`)
      pass(`Action ${actions.passkeySignIn}`, 'a passkey sign-in can be started for it (as <passkey-signin-button> does).')
    } else if (challenge.status === 401) {
      fail('Tenant id', `the Client API refuses tenant ${JSON.stringify(tenantId)}: the browser SDK could not start a passkey sign-in.`,
        claimedTenant != null ? `Set AUTHSIGNAL_TENANT_ID=${claimedTenant} (the tenant this secret belongs to).` : 'Copy the tenant id from the Authsignal Portal (Settings → API keys).')
    } else {
      fail(`Action ${actions.passkeySignIn}`, `starting a passkey sign-in answered HTTP ${challenge.status}${typeof challenge.body?.errorCode === 'string' ? ` ${challenge.body.errorCode}` : ''}.`,
        `Check the action ${JSON.stringify(actions.passkeySignIn)} in the Authsignal Portal → Actions.`)
    }
    sideEffects.push('one passkey sign-in challenge requested, left to expire')
  } catch (error) {
    fail('Tenant id', `the Client API could not be reached (${describeError(error)}).`, 'Check the API URL and your network.')
  }
  if (tenantOk && claimedTenant != null && claimedTenant !== tenantId) {
    fail('Tenant id', `the secret belongs to tenant ${claimedTenant}, not ${tenantId}: the browser and the server would talk to different tenants.`, `Set AUTHSIGNAL_TENANT_ID=${claimedTenant}, or use that tenant's secret.`)
  }

  // ---- passkeys: RP ID against the IdP and app origins ----
  let rpId: string | undefined
  let signInUv: unknown
  if (tenantOk) {
    try {
      const options = await clientCall('/user-authenticators/passkey/authentication-options', {})
      const found = options.body?.options as Record<string, unknown> | undefined
      if (typeof found?.rpId === 'string') rpId = found.rpId
      signInUv = found?.userVerification
      sideEffects.push('one WebAuthn authentication challenge requested, left to expire')
    } catch {}
  }

  // ---- passkey settings: what registration and sign-in ask the authenticator for ----
  if (tenantOk && typeof enroll?.token === 'string') {
    try {
      const registration = await clientCall('/user-authenticators/passkey/registration-options', {}, { authorization: `Bearer ${enroll.token}` })
      sideEffects.push('one WebAuthn registration challenge requested, left to expire')
      const selection = (registration.body?.options as Record<string, unknown> | undefined)?.authenticatorSelection as Record<string, unknown> | undefined
      if (selection == null) {
        fail('Passkey settings', `the tenant's passkey registration options could not be read (HTTP ${registration.status}).`, 'Set up passkeys in the Authsignal Portal → Authenticators → Passkey.')
      } else {
        const problems: string[] = []
        if (selection.userVerification !== 'required' || (signInUv != null && signInUv !== 'required')) {
          problems.push(`user verification is ${String(selection.userVerification ?? 'not asked for')} at registration and ${String(signInUv ?? 'not asked for')} at sign-in, so a passkey used without its PIN or biometric still signs in — one factor, not two`)
        }
        if (selection.residentKey !== 'required') {
          problems.push(`resident keys are ${String(selection.residentKey ?? 'not asked for')}, so a security key without storage gets a passkey that sign-in without a username (the passkey button, autofill) cannot find`)
        }
        if (problems.length > 0) {
          fail('Passkey settings', `${problems.join('; ')}.`,
            'Require user verification and discoverable credentials for passkeys on the tenant (ask Authsignal if the Portal has no setting); until then, treat a passkey sign-in as a single factor.')
        } else {
          pass('Passkey settings', 'registration and sign-in require user verification, and passkeys are discoverable.')
        }
      }
    } catch (error) {
      fail('Passkey settings', `the passkey registration options could not be read (${describeError(error)}).`, 'Check the API URL and your network.')
    }
  }
  const origins = ([['IdP', idpOrigin], ['app', appOrigin]] as const).filter((o): o is readonly ['IdP' | 'app', string] => o[1] != null)
  if (origins.length === 0) {
    skip('Passkey RP ID', 'not checked: give --idp-origin and --app-origin (IDP_ISSUER, APP_ORIGIN).')
  } else if (!tenantOk) {
    skip('Passkey RP ID and expected origins', 'not checked: they need a tenant id the Client API accepts.')
  } else if (rpId == null) {
    if (tenantOk) fail('Passkey RP ID', 'the tenant answered no RP ID for passkeys.', 'Set up passkeys in the Authsignal Portal → Authenticators → Passkey (RP ID and expected origins).')
  } else {
    const outside = origins.filter(([, origin]) => !underRpId(new URL(origin).hostname, rpId as string))
    const insecure = origins.filter(([, origin]) => new URL(origin).protocol !== 'https:' && !isLoopbackHost(new URL(origin).hostname))
    const hosts = origins.map(([, origin]) => new URL(origin).hostname)
    const suggested = hosts.length === 2 ? commonSuffix(hosts[0] as string, hosts[1] as string) : hosts[0]
    if (outside.length > 0) {
      fail('Passkey RP ID', `the tenant's RP ID is ${rpId}; passkeys for it cannot be used on ${outside.map(([name, origin]) => `the ${name} (${origin})`).join(' or ')}.`,
        suggested != null && !isIp(suggested)
          ? `Set the RP ID to ${suggested} in the Authsignal Portal → Authenticators → Passkey (changing it invalidates existing passkeys), or serve both from under ${rpId}.`
          : 'Serve the IdP and the app from host names under one registrable domain (IP addresses cannot be RP IDs), then set it as the RP ID.')
    } else if (insecure.length > 0) {
      fail('Passkey origins', `${insecure.map(([, o]) => o).join(' and ')} ${insecure.length === 1 ? 'is' : 'are'} not HTTPS: browsers allow passkeys only on HTTPS (or localhost).`, 'Serve the IdP and the app over HTTPS.')
    } else {
      pass('Passkey RP ID', origins.length === 2
        ? `${rpId}: passkeys work on the IdP and the app, and one enrolled on either works on both.`
        : `${rpId}: passkeys work on the ${origins[0]?.[0] ?? ''} (give the other origin too, to check that a passkey works on both).`)
    }
  }

  // ---- expected origins: may the browser SDK call the API from the IdP and the app? ----
  if (origins.length > 0 && tenantOk) {
    const refused: string[] = []
    for (const [, origin] of origins) {
      try {
        const preflight = await fetch(`${base}/client/user-authenticators/passkey/authentication-options`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
          signal: AbortSignal.timeout(timeoutMs)
        })
        const allowed = preflight.headers.get('access-control-allow-origin')
        if (allowed !== origin && allowed !== '*') refused.push(origin)
      } catch {
        refused.push(origin)
      }
    }
    if (refused.length > 0) {
      fail('Expected origins', `the API does not answer browser calls from ${refused.join(' and ')}: the passkey elements there would fail.`,
        `Add ${refused.join(' and ')} to the tenant's expected origins (Authsignal Portal → Authenticators → Passkey); for the emulator, EMULATOR_EXPECTED_ORIGINS.`)
    } else {
      pass('Expected origins', `the API answers browser calls from ${origins.map(([, o]) => o).join(' and ')} (passkey verification also checks them against the tenant's expected origins).`)
    }
  }

  // ---- the hosted page against the IdP's configuration and CSP ----
  if (hostedUrl != null) {
    const hosted = hostedUrl.origin
    const configured = originOf(options.hostedOrigin) ?? apiUrl.origin
    if (configured !== hosted) {
      fail('Hosted page origin', `track sends users to ${hosted}, but the IdP is set up for ${configured}${options.hostedOrigin == null ? ' (its default: the API\'s origin)' : ''}: its CSP would stop the password form's redirect there.`,
        `Set AUTHSIGNAL_HOSTED_ORIGIN=${hosted} for the IdP.`)
    } else {
      pass('Hosted page origin', `${hosted}, as the IdP is set up for.`)
    }
    if (rpId != null) {
      if (underRpId(hostedUrl.hostname, rpId)) pass('Passkeys on the hosted page', `${hostedUrl.hostname} is under the RP ID ${rpId}: users can enroll and use passkeys there.`)
      else {
        fail('Passkeys on the hosted page', `the hosted page (${hostedUrl.hostname}) is not under the RP ID ${rpId}: it cannot create or use your passkeys, so a user whose only second factor is a passkey cannot pass MFA there.`,
          `Give the pre-built UI a custom domain under ${rpId} (Authsignal Portal → Pre-built UI → Custom domain).`)
      }
    }
    if (idpOrigin != null) {
      try {
        const response = await fetch(`${idpOrigin}/.well-known/openid-configuration`, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) })
        await response.body?.cancel()
        const header = response.headers.get('content-security-policy')
        if (header == null) {
          skip('IdP CSP', `${idpOrigin} sends no Content-Security-Policy on its discovery document: nothing to compare.`)
        } else {
          const directives = cspDirectives(header)
          const formAction = directives.get('form-action') ?? directives.get('default-src')
          const connect = directives.get('connect-src') ?? directives.get('default-src')
          const problems: string[] = []
          if (!cspAllows(formAction, hosted)) problems.push(`form-action does not allow ${hosted} (the password form is redirected to the hosted page)`)
          if (!cspAllows(connect, apiUrl.origin)) problems.push(`connect-src does not allow ${apiUrl.origin} (the passkey elements call the API)`)
          if (problems.length > 0) {
            fail('IdP CSP', `the IdP's Content-Security-Policy: ${problems.join('; ')}.`,
              `Set the IdP's AUTHSIGNAL_HOSTED_ORIGIN=${hosted} and AUTHSIGNAL_API_URL=${base}, then restart it.`)
          } else {
            pass('IdP CSP', `the IdP's Content-Security-Policy lets the password form go to ${hosted} and the elements call ${apiUrl.origin}.`)
          }
        }
      } catch (error) {
        fail('IdP CSP', `the IdP at ${idpOrigin} could not be reached (${describeError(error)}), so its CSP was not checked.`, 'Start the IdP (or fix IDP_ISSUER), then run the doctor again.')
      }
    } else {
      skip('IdP CSP', 'not checked: give --idp-origin (IDP_ISSUER).')
    }
  }

  // ---- clean up ----
  if (tracked.length > 0) {
    const actionsText = `tracked ${tracked.map(a => JSON.stringify(a)).join(' and ')} for the user ${JSON.stringify(userId)}`
    if (existed) {
      sideEffects.unshift(`${actionsText} (the user existed before and was left in place)`)
    } else {
      try {
        await within(timeoutMs, client.deleteUser({ userId }))
        sideEffects.unshift(`${actionsText}, then deleted that user again`)
      } catch {
        sideEffects.unshift(`${actionsText}; deleting that user again failed — delete it in the Portal if you like`)
      }
    }
  }
  return report()
}

/** The report in words: one line per check, ✓ / ✗ / –, each failure with its fix. */
export function formatDoctorReport (report: DoctorReport, target: { apiUrl?: string, tenantId?: string }): string {
  const lines = [`authsignal-doctor: ${target.apiUrl ?? '(no API URL)'}${target.tenantId != null ? `, tenant ${target.tenantId}` : ''}`, '']
  for (const check of report.checks) {
    const mark = check.status === 'pass' ? '✓' : check.status === 'fail' ? '✗' : '–'
    lines.push(`${mark} ${check.name}: ${check.message}${check.fix != null ? ` Fix: ${check.fix}` : ''}`)
  }
  lines.push('')
  lines.push(`Side effects on the tenant: ${report.sideEffects.length === 0 ? 'none.' : `${report.sideEffects.join('; ')}.`}`)
  const failed = report.checks.filter(c => c.status === 'fail').length
  lines.push(failed === 0 ? 'All checks passed.' : `${failed} check${failed === 1 ? '' : 's'} failed.`)
  return lines.join('\n')
}
