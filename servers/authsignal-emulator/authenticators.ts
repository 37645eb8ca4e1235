// How authenticators are shown to callers (Server API `GET /users/:id/authenticators`, Client API
// responses): Authsignal's field names, a friendly passkey name from the AAGUID or the user agent.
import type { AuthenticatorRecord } from './store.js'

// A few well-known passkey providers (passkeydeveloper/passkey-authenticator-aaguids).
const AAGUID_NAMES: Record<string, string> = {
  'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4': 'Google Password Manager',
  'adce0002-35bc-c60a-648b-0b25f1f05503': 'Chrome on Mac',
  'fbfc3007-154e-4ecc-8c0b-6e020557d7bd': 'iCloud Keychain',
  'dd4ec289-e01d-41c9-bb89-70fa845d4bf2': 'iCloud Keychain (Managed)',
  '08987058-cadc-4b81-b6e1-30de50dcbe96': 'Windows Hello',
  '9ddd1817-af5a-4672-a2b9-3e3dd95000a9': 'Windows Hello',
  'bada5566-a7aa-401f-bd96-45619a55120d': '1Password',
  'd548826e-79b4-db40-a3d8-11116f7e8349': 'Bitwarden'
}

/**
 * The icons `aaguidMapping` carries (documented as `svgIconLight` / `svgIconDark`, required in the Node
 * and .NET SDK types). The real service serves each provider's own icon; the emulator draws one key in
 * two colour schemes — what matters to a caller is that both are `data:` URIs an `<img>` can show.
 */
const iconOf = (stroke: string): string => `data:image/svg+xml;base64,${Buffer.from(
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="${stroke}" ` +
  'stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"><circle cx="8" cy="8" r="4"/><path d="M10.8 10.8 20 20m-3-3 2-2m-4.5-.5 2-2"/></svg>'
).toString('base64')}`
const SVG_ICON_LIGHT = iconOf('#1f2328')
const SVG_ICON_DARK = iconOf('#f0f3f6')

export function aaguidMapping (aaguid: string): { name: string, svgIconLight: string, svgIconDark: string } | undefined {
  const name = AAGUID_NAMES[aaguid]
  return name == null ? undefined : { name, svgIconLight: SVG_ICON_LIGHT, svgIconDark: SVG_ICON_DARK }
}

export interface ParsedUserAgent {
  ua: string
  browser: { name?: string, version?: string, major?: string }
  os: { name?: string, version?: string }
  device: { model?: string, type?: string, vendor?: string }
  engine: { name?: string, version?: string }
  cpu: { architecture?: string }
}

/** Enough of a user-agent parser to name a passkey "Chrome on Linux". */
export function parseUserAgent (ua = ''): ParsedUserAgent {
  const browsers: Array<[string, RegExp]> = [
    ['Edge', /Edg\/([\d.]+)/], ['Firefox', /Firefox\/([\d.]+)/], ['Chrome', /(?:HeadlessChrome|Chrome|Chromium)\/([\d.]+)/], ['Safari', /Version\/([\d.]+).*Safari/]
  ]
  const systems: Array<[string, RegExp]> = [
    ['Android', /Android/], ['iOS', /iPhone|iPad/], ['Mac OS', /Mac OS X/], ['Windows', /Windows/], ['Chrome OS', /CrOS/], ['Linux', /Linux/]
  ]
  const browser = browsers.find(([, re]) => re.test(ua))
  const version = browser?.[1].exec(ua)?.[1]
  return {
    ua,
    browser: browser == null ? {} : { name: browser[0], version, major: version?.split('.')[0] },
    os: { name: systems.find(([, re]) => re.test(ua))?.[0] },
    device: {},
    engine: { name: /AppleWebKit/.test(ua) ? (/Chrome/.test(ua) ? 'Blink' : 'WebKit') : /Gecko\//.test(ua) ? 'Gecko' : undefined },
    cpu: { architecture: /x86_64|x64|Win64/.test(ua) ? 'amd64' : /aarch64|arm64/.test(ua) ? 'arm64' : undefined }
  }
}

export function passkeyName (aaguid: string, userAgent?: string): string {
  const known = AAGUID_NAMES[aaguid]
  if (known != null) return known
  const parsed = parseUserAgent(userAgent)
  if (parsed.browser.name != null && parsed.os.name != null) return `${parsed.browser.name} on ${parsed.os.name}`
  return 'Passkey'
}

export function presentAuthenticator (a: AuthenticatorRecord, username?: string): Record<string, unknown> {
  const base: Record<string, unknown> = {
    userId: a.userId,
    userAuthenticatorId: a.userAuthenticatorId,
    verificationMethod: a.verificationMethod,
    createdAt: a.createdAt,
    ...(a.verifiedAt != null ? { verifiedAt: a.verifiedAt } : {}),
    ...(a.lastVerifiedAt != null ? { lastVerifiedAt: a.lastVerifiedAt } : {}),
    ...(a.email != null ? { email: a.email } : {}),
    ...(a.phoneNumber != null ? { phoneNumber: a.phoneNumber } : {}),
    ...(username != null ? { username } : {})
  }
  if (a.passkey != null) {
    const p = a.passkey
    base.webauthnCredential = {
      credentialId: p.credentialId,
      deviceId: a.userAuthenticatorId,
      name: p.name,
      aaguid: p.aaguid,
      ...(aaguidMapping(p.aaguid) != null ? { aaguidMapping: aaguidMapping(p.aaguid) } : {}),
      credentialBackedUp: p.backedUp,
      credentialDeviceType: p.deviceType,
      ...(p.attachment != null ? { authenticatorAttachment: p.attachment } : {}),
      ...(p.userAgent != null ? { parsedUserAgent: parseUserAgent(p.userAgent) } : {}),
      verifiedAt: a.verifiedAt
    }
  }
  return base
}
