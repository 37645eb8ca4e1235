// Real WebAuthn verification (@simplewebauthn/server) against the configured RP ID and expected origins.
// Discoverable credentials and user verification are required by default, as passkey autofill needs them
// (knobs `residentKey` and `userVerification`).
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON
} from '@simplewebauthn/server'
import { passkeyName } from './authenticators.js'
import type { EmulatorContext } from './context.js'
import { invalidCredential } from './errors.js'
import type { AuthenticatorRecord, ChallengeRecord, PasskeyCredential, UserRecord } from './store.js'

// EdDSA, ES256, RS256: what Authsignal is believed to offer (SimpleWebAuthn's classic defaults).
const ALGORITHMS = [-8, -7, -257]
const TIMEOUT_MS = 60_000

export async function registrationOptions (
  ctx: EmulatorContext,
  user: UserRecord,
  existing: AuthenticatorRecord[],
  request: { username?: string, displayName?: string, attachment?: 'platform' | 'cross-platform' }
): Promise<{ challenge: string, options: Awaited<ReturnType<typeof generateRegistrationOptions>> }> {
  const name = request.username ?? user.username ?? user.email ?? user.userId
  const options = await generateRegistrationOptions({
    rpName: ctx.options.rpName,
    rpID: ctx.options.rpId,
    userName: name,
    userID: new TextEncoder().encode(user.userId),
    userDisplayName: request.displayName ?? user.displayName ?? name,
    timeout: TIMEOUT_MS,
    attestationType: 'none',
    supportedAlgorithmIDs: ALGORITHMS,
    excludeCredentials: existing.flatMap(a => a.passkey == null ? [] : [{ id: a.passkey.credentialId, transports: a.passkey.transports }]),
    authenticatorSelection: {
      residentKey: ctx.options.residentKey,
      requireResidentKey: ctx.options.residentKey === 'required',
      userVerification: ctx.options.userVerification,
      ...(request.attachment != null ? { authenticatorAttachment: request.attachment } : {})
    }
  })
  return { challenge: options.challenge, options }
}

export async function verifyRegistration (
  ctx: EmulatorContext,
  challenge: ChallengeRecord,
  response: RegistrationResponseJSON,
  userAgent: string | undefined
): Promise<PasskeyCredential> {
  let result
  try {
    result = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge.challenge ?? '',
      expectedOrigin: ctx.options.expectedOrigins,
      expectedRPID: ctx.options.rpId,
      requireUserVerification: ctx.options.userVerification === 'required',
      supportedAlgorithmIDs: ALGORITHMS
    })
  } catch (error) {
    throw invalidCredential(`The passkey registration could not be verified: ${(error as Error).message}`)
  }
  if (!result.verified) throw invalidCredential('The passkey registration could not be verified.')
  const { credential, aaguid, credentialBackedUp, credentialDeviceType } = result.registrationInfo
  return {
    credentialId: credential.id,
    publicKey: Buffer.from(credential.publicKey).toString('base64url'),
    counter: credential.counter,
    transports: credential.transports ?? response.response.transports ?? [],
    aaguid,
    backedUp: credentialBackedUp,
    deviceType: credentialDeviceType,
    attachment: response.authenticatorAttachment,
    name: passkeyName(aaguid, userAgent),
    userAgent
  }
}

export async function authenticationOptions (ctx: EmulatorContext, allow: AuthenticatorRecord[]): Promise<Awaited<ReturnType<typeof generateAuthenticationOptions>>> {
  return await generateAuthenticationOptions({
    rpID: ctx.options.rpId,
    timeout: TIMEOUT_MS,
    userVerification: ctx.options.userVerification,
    allowCredentials: allow.flatMap(a => a.passkey == null ? [] : [{ id: a.passkey.credentialId, transports: a.passkey.transports as never }])
  })
}

/** Verifies an assertion for a stored passkey; returns the new signature counter. */
export async function verifyAuthentication (
  ctx: EmulatorContext,
  challenge: ChallengeRecord,
  response: AuthenticationResponseJSON,
  authenticator: AuthenticatorRecord
): Promise<number> {
  const passkey = authenticator.passkey
  if (passkey == null) throw invalidCredential('The credential is not a passkey.')
  let result
  try {
    result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge.challenge ?? '',
      expectedOrigin: ctx.options.expectedOrigins,
      expectedRPID: ctx.options.rpId,
      requireUserVerification: ctx.options.userVerification === 'required',
      credential: {
        id: passkey.credentialId,
        publicKey: Buffer.from(passkey.publicKey, 'base64url'),
        counter: passkey.counter,
        transports: passkey.transports as never
      }
    })
  } catch (error) {
    throw invalidCredential(`The passkey could not be verified: ${(error as Error).message}`)
  }
  if (!result.verified) throw invalidCredential('The passkey could not be verified.')
  return result.authenticationInfo.newCounter
}
