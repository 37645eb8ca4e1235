// Authsignal Client API as `@authsignal/browser` calls it: passkey registration and sign-in, the
// action-bound challenge, the credential lookup, authenticator-app (TOTP) and email/SMS code enrollment and
// verification.
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { ACTION_CODE, actionOf, completeAction, mayEnroll, recordPasskeySignIn } from './actions.js'
import { clientAuth } from './auth.js'
import { presentAuthenticator } from './authenticators.js'
import type { EmulatorContext } from './context.js'
import { ApiError, insufficientScope, invalidCredential, invalidRequest, notFound, unauthorized } from './errors.js'
import { actionKey, type ActionRecord, type AuthenticatorRecord } from './store.js'
import { SCOPE_ADD, type TokenClaims } from './tokens.js'
import { activeCodeChallenge, codeMatches, sendCode, type OtpMethod } from './otp.js'
import { E164, EMAIL } from './patterns.js'
import { matchTotp, newTotpSecret, otpauthUri } from './totp.js'
import { authenticationOptions, registrationOptions, verifyAuthentication, verifyRegistration } from './webauthn.js'

const b64url = { type: 'string', minLength: 1, maxLength: 16384, pattern: '^[A-Za-z0-9_-]*={0,2}$' }
const challengeId = { type: 'string', minLength: 1, maxLength: 64 }

/** A PublicKeyCredential as SimpleWebAuthn's browser side serialises it (all binary fields base64url). */
const publicKeyCredential = (response: { required: string[], properties: Record<string, unknown> }): Record<string, unknown> => ({
  type: 'object',
  required: ['id', 'rawId', 'type', 'response'],
  properties: {
    id: b64url,
    rawId: b64url,
    type: { const: 'public-key' },
    authenticatorAttachment: { enum: ['platform', 'cross-platform'] },
    clientExtensionResults: { type: 'object' },
    response: { type: 'object', ...response }
  }
})

const registrationCredential = publicKeyCredential({
  required: ['attestationObject', 'clientDataJSON'],
  properties: {
    attestationObject: b64url,
    clientDataJSON: b64url,
    transports: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 32 } },
    publicKeyAlgorithm: { type: 'integer' },
    publicKey: b64url,
    authenticatorData: b64url
  }
})

const authenticationCredential = publicKeyCredential({
  required: ['authenticatorData', 'clientDataJSON', 'signature'],
  properties: { authenticatorData: b64url, clientDataJSON: b64url, signature: b64url, userHandle: b64url }
})

const TERMINAL_STATES = new Set(['BLOCK', 'CHALLENGE_FAILED', 'REVIEW_FAILED'])

export const clientApi: FastifyPluginAsync<{ ctx: EmulatorContext }> = async (app, { ctx }) => {
  const { store, options } = ctx
  const challengeExpiry = (): number => Date.now() + options.challengeTtlSeconds * 1000

  async function bearer (request: FastifyRequest): Promise<{ claims: TokenClaims, action: ActionRecord }> {
    const auth = await clientAuth(request, options.tenantId, ctx.tokens)
    if (auth.kind !== 'token') throw unauthorized()
    const action = actionOf(ctx, auth.claims)
    if (TERMINAL_STATES.has(action.state)) throw new ApiError(403, 'challenge_failed', 'This action can no longer be completed.')
    return { claims: auth.claims, action }
  }

  // Enrolling needs `add:authenticators` once the user has any authenticator (docs: client API overview).
  function requireEnrollmentRight (claims: TokenClaims): void {
    if (!mayEnroll(ctx, claims)) throw insufficientScope(SCOPE_ADD)
  }
  const pendingUntil = (): number => Date.now() + options.pendingEnrollmentTtlSeconds * 1000

  // ---- passkey registration ----

  app.post<{ Body: { username?: string, displayName?: string, authenticatorAttachment?: 'platform' | 'cross-platform' } | undefined }>(
    '/user-authenticators/passkey/registration-options', {
      schema: {
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            username: { type: 'string', minLength: 1, maxLength: 256 },
            displayName: { type: 'string', minLength: 1, maxLength: 256 },
            authenticatorAttachment: { enum: ['platform', 'cross-platform'] }
          }
        }
      }
    }, async request => {
      const { claims, action } = await bearer(request)
      requireEnrollmentRight(claims)
      const user = store.upsertUser(claims.userId)
      const body = request.body ?? {}
      const { challenge, options: creation } = await registrationOptions(ctx, user, store.authenticatorsOf(user.userId), {
        username: body.username, displayName: body.displayName, attachment: body.authenticatorAttachment
      })
      const record = store.putChallenge({ kind: 'registration', challenge, expiresAt: challengeExpiry(), userId: user.userId, actionKey: keyOf(action) })
      await store.save()
      return { challengeId: record.challengeId, options: creation }
    })

  app.post<{ Body: { registrationCredential: RegistrationResponseJSON, challengeId: string, conditionalCreate?: boolean, deviceId?: string } }>(
    '/user-authenticators/passkey', {
      schema: {
        body: {
          type: 'object',
          required: ['registrationCredential', 'challengeId'],
          properties: { registrationCredential, challengeId, conditionalCreate: { type: 'boolean' }, deviceId: { type: 'string', maxLength: 256 } }
        }
      }
    }, async request => {
      const { claims, action } = await bearer(request)
      const challenge = store.takeChallenge(request.body.challengeId, 'registration')
      if (challenge == null || challenge.userId !== claims.userId || challenge.actionKey !== keyOf(action)) {
        await store.save()
        throw invalidCredential('The registration challenge is unknown, expired or already used.')
      }
      requireEnrollmentRight(claims)
      const credential = await verifyRegistration(ctx, challenge, request.body.registrationCredential, request.headers['user-agent'])
      if (store.findPasskey(credential.credentialId) != null) {
        await store.save()
        throw invalidCredential('This passkey is already registered.')
      }
      const now = new Date().toISOString()
      const authenticator = store.addAuthenticator({ userId: claims.userId, verificationMethod: 'PASSKEY', verifiedAt: now, passkey: credential })
      // Enrolling is a successful challenge for the action the token belongs to (what the hosted page relies on).
      const accessToken = await completeAction(ctx, action, 'PASSKEY', true)
      return {
        isVerified: true,
        accessToken,
        userAuthenticatorId: authenticator.userAuthenticatorId,
        userId: claims.userId,
        userAuthenticator: presentAuthenticator(authenticator)
      }
    })

  // ---- passkey sign-in ----

  app.post<{ Body: { action: string } }>('/challenge', {
    schema: { body: { type: 'object', required: ['action'], additionalProperties: false, properties: { action: { type: 'string', pattern: ACTION_CODE.source } } } }
  }, async request => {
    const auth = await clientAuth(request, options.tenantId, ctx.tokens)
    if (auth.kind !== 'tenant') throw invalidRequest('An action challenge is requested with the tenant id, not a token.')
    const record = store.putChallenge({ kind: 'action', actionCode: request.body.action, expiresAt: challengeExpiry() })
    await store.save()
    return { challengeId: record.challengeId }
  })

  app.post<{ Body: { challengeId?: string, username?: string } | undefined }>('/user-authenticators/passkey/authentication-options', {
    schema: {
      body: {
        type: ['object', 'null'],
        additionalProperties: false,
        properties: { challengeId, username: { type: 'string', minLength: 1, maxLength: 256 } }
      }
    }
  }, async request => {
    const auth = await clientAuth(request, options.tenantId, ctx.tokens)
    const body = request.body ?? {}
    let actionCode: string | undefined
    if (body.challengeId != null) {
      const reserved = store.takeChallenge(body.challengeId, 'action')
      if (reserved == null) {
        await store.save()
        throw invalidRequest('The challenge is unknown, expired or already used.')
      }
      actionCode = reserved.actionCode
    }
    let allow: AuthenticatorRecord[] = []
    let userId: string | undefined
    let boundAction: string | undefined
    if (auth.kind === 'token') {
      const action = actionOf(ctx, auth.claims)
      if (TERMINAL_STATES.has(action.state)) throw new ApiError(403, 'challenge_failed', 'This action can no longer be completed.')
      userId = auth.claims.userId
      boundAction = keyOf(action)
      allow = store.authenticatorsOf(userId).filter(a => a.passkey != null)
    } else if (body.username != null) {
      const user = [...store.users.values()].find(u => u.username === body.username)
      allow = user == null ? [] : store.authenticatorsOf(user.userId).filter(a => a.passkey != null)
    }
    const requestOptions = await authenticationOptions(ctx, allow)
    const record = store.putChallenge({
      kind: 'authentication', challenge: requestOptions.challenge, expiresAt: challengeExpiry(), userId, actionKey: boundAction, actionCode
    })
    await store.save()
    return { challengeId: record.challengeId, options: requestOptions }
  })

  app.post<{ Body: { authenticationCredential: AuthenticationResponseJSON, challengeId: string, deviceId?: string } }>('/verify/passkey', {
    schema: {
      body: {
        type: 'object',
        required: ['authenticationCredential', 'challengeId'],
        properties: { authenticationCredential, challengeId, deviceId: { type: 'string', maxLength: 256 } }
      }
    }
  }, async request => {
    const auth = await clientAuth(request, options.tenantId, ctx.tokens)
    const challenge = store.takeChallenge(request.body.challengeId, 'authentication')
    await store.save()
    if (challenge == null) throw invalidCredential('The authentication challenge is unknown, expired or already used.')
    const tokenAction = auth.kind === 'token' ? actionOf(ctx, auth.claims) : undefined
    // A challenge issued for a token's action is answered with that token, and the reverse.
    if ((challenge.actionKey ?? null) !== (tokenAction == null ? null : keyOf(tokenAction))) {
      throw invalidCredential('The authentication challenge does not belong to this request.')
    }
    const credential = request.body.authenticationCredential
    const authenticator = store.findPasskey(credential.id)
    // Knob `removedCredentialError`: the code for a passkey the tenant does not know (never added, or removed).
    if (authenticator == null || authenticator.verifiedAt == null) throw invalidCredential('The passkey is not registered.', options.removedCredentialError)
    if (challenge.userId != null && authenticator.userId !== challenge.userId) throw invalidCredential('The passkey does not belong to this user.')
    const userHandle = credential.response.userHandle
    if (userHandle != null && userHandle !== '' && Buffer.from(userHandle, 'base64url').toString('utf8') !== authenticator.userId) {
      throw invalidCredential('The passkey does not belong to this user.')
    }
    const newCounter = await verifyAuthentication(ctx, challenge, credential, authenticator)
    if (authenticator.passkey != null) authenticator.passkey.counter = newCounter
    authenticator.lastVerifiedAt = new Date().toISOString()
    const action = tokenAction ?? await recordPasskeySignIn(ctx, authenticator.userId, challenge.actionCode ?? options.defaultPasskeyAction)
    const accessToken = await completeAction(ctx, action, 'PASSKEY')
    const user = store.users.get(authenticator.userId)
    return {
      isVerified: true,
      accessToken,
      userId: authenticator.userId,
      userAuthenticatorId: authenticator.userAuthenticatorId,
      ...(user?.username != null ? { username: user.username } : {}),
      ...(user?.displayName != null ? { userDisplayName: user.displayName } : {})
    }
  })

  // `isAvailableOnDevice`: the ids arrive comma-joined and not URL-encoded.
  app.get<{ Querystring: { credentialIds?: string, credentialId?: string } }>('/user-authenticators/passkey', {
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { credentialIds: { type: 'string', maxLength: 8192 }, credentialId: { type: 'string', maxLength: 2048 } }
      }
    }
  }, async request => {
    const auth = await clientAuth(request, options.tenantId, ctx.tokens)
    if (auth.kind !== 'tenant') throw unauthorized()
    const ids = (request.query.credentialIds ?? request.query.credentialId ?? '').split(',').filter(Boolean)
    for (const id of ids) {
      const found = store.findPasskey(id)
      if (found?.passkey != null && found.verifiedAt != null) return { credentialId: found.passkey.credentialId, verifiedAt: found.verifiedAt }
    }
    throw notFound('No passkey matches these credential ids.')
  })

  // ---- authenticator app (TOTP) ----

  app.post('/user-authenticators/totp', { schema: { body: { type: ['object', 'null'], additionalProperties: false, maxProperties: 0 } } }, async request => {
    const { claims } = await bearer(request)
    requireEnrollmentRight(claims)
    const user = store.upsertUser(claims.userId)
    const pending = store.pendingTotpOf(user.userId)
    if (pending != null) store.authenticators.delete(pending.userAuthenticatorId)
    const secret = newTotpSecret()
    const authenticator = store.addAuthenticator({ userId: user.userId, verificationMethod: 'AUTHENTICATOR_APP', totp: { secret, lastUsedStep: 0 }, pendingUntil: pendingUntil() })
    await store.save()
    return {
      userAuthenticatorId: authenticator.userAuthenticatorId,
      userId: user.userId,
      uri: otpauthUri(secret, options.rpName, user.username ?? user.email ?? user.userId),
      secret
    }
  })

  app.post<{ Body: { verificationCode: string } }>('/verify/totp', {
    schema: { body: { type: 'object', required: ['verificationCode'], additionalProperties: false, properties: { verificationCode: { type: 'string', maxLength: 16 } } } }
  }, async request => {
    const { claims, action } = await bearer(request)
    // A pending enrollment and already-verified apps are all candidates: an abandoned second enrollment
    // must not lock the user out of the app that works. The pending one only for a token that may enroll:
    // otherwise anyone with the user's password could finish an app the user abandoned (issue 12, finding 1).
    const pending = mayEnroll(ctx, claims) ? store.pendingTotpOf(claims.userId) : undefined
    const candidates = [...(pending != null ? [pending] : []), ...store.authenticatorsOf(claims.userId).filter(a => a.totp != null)]
    if (candidates.length === 0) throw invalidRequest('The user has no authenticator app to verify.')
    const code = request.body.verificationCode
    for (const authenticator of candidates) {
      const totp = authenticator.totp
      if (totp == null) continue
      const step = matchTotp(totp.secret, code)
      // A code's time step is usable once: a replayed code is a wrong code.
      if (step == null || step <= totp.lastUsedStep) continue
      totp.lastUsedStep = step
      const now = new Date().toISOString()
      authenticator.lastVerifiedAt = now
      const enrolled = authenticator.verifiedAt == null
      if (enrolled) store.markVerified(authenticator, now)
      const accessToken = await completeAction(ctx, action, 'AUTHENTICATOR_APP', enrolled)
      return { isVerified: true, accessToken, ...(enrolled ? { userAuthenticator: presentAuthenticator(authenticator) } : {}) }
    }
    return await wrongCode(action)
  })

  /**
   * A wrong code: counted against the action; at the limit the action is CHALLENGE_FAILED. The reasons are
   * the documented ones (docs: client API authenticator app, email OTP, SMS).
   */
  async function wrongCode (action: ActionRecord): Promise<{ isVerified: false, failureReason: string }> {
    action.failedAttempts++
    if (action.failedAttempts >= options.maxFailedAttempts) store.setActionState(action, 'CHALLENGE_FAILED')
    await store.save()
    return { isVerified: false, failureReason: action.state === 'CHALLENGE_FAILED' ? 'MAX_ATTEMPTS_EXCEEDED' : 'CODE_INVALID_OR_EXPIRED' }
  }

  // ---- email OTP and SMS ----
  // Enroll: a pending authenticator and a code to its address (with a token that may enroll). Challenge: a
  // code to an enrolled one. Verify: the newest code of the token's action; a pending authenticator is
  // finished only if the token may still enroll and the enrollment has not expired.

  const OTP_METHODS: Array<{ method: OtpMethod, path: string, field: 'email' | 'phoneNumber', pattern: string, name: string }> = [
    { method: 'EMAIL_OTP', path: 'email-otp', field: 'email', pattern: EMAIL, name: 'email OTP' },
    { method: 'SMS', path: 'sms', field: 'phoneNumber', pattern: E164, name: 'SMS' }
  ]

  for (const { method, path, field, pattern, name } of OTP_METHODS) {
    app.post<{ Body: Record<string, string> }>(`/user-authenticators/${path}`, {
      schema: { body: { type: 'object', required: [field], additionalProperties: false, properties: { [field]: { type: 'string', maxLength: 254, pattern } } } }
    }, async request => {
      const { claims, action } = await bearer(request)
      requireEnrollmentRight(claims)
      const to = request.body[field] as string
      store.upsertUser(claims.userId)
      const previous = store.pendingOf(claims.userId, method)
      if (previous != null) store.authenticators.delete(previous.userAuthenticatorId)
      const authenticator = store.addAuthenticator({ userId: claims.userId, verificationMethod: method, [field]: to, pendingUntil: pendingUntil() })
      sendCode(ctx, { method, to, purpose: 'enrollment', userId: claims.userId, actionKey: keyOf(action), actionCode: action.actionCode, authenticatorId: authenticator.userAuthenticatorId }, request.log)
      await store.save()
      return { userAuthenticatorId: authenticator.userAuthenticatorId, userId: claims.userId }
    })

    app.post<{ Body: { userAuthenticatorId?: string } | undefined }>(`/challenge/${path}`, {
      schema: { body: { type: ['object', 'null'], additionalProperties: false, properties: { userAuthenticatorId: { type: 'string', maxLength: 128 } } } }
    }, async request => {
      const { claims, action } = await bearer(request)
      const enrolled = store.authenticatorsOf(claims.userId).filter(a => a.verificationMethod === method)
      const wanted = request.body?.userAuthenticatorId
      const target = wanted == null ? enrolled[0] : enrolled.find(a => a.userAuthenticatorId === wanted)
      const to = target?.[field]
      if (target == null || to == null) throw invalidRequest(`The user has no ${name} authenticator${wanted != null ? ' with this id' : ''} to challenge.`)
      const challenge = sendCode(ctx, { method, to, purpose: 'challenge', userId: claims.userId, actionKey: keyOf(action), actionCode: action.actionCode, authenticatorId: target.userAuthenticatorId }, request.log)
      await store.save()
      return { challengeId: challenge.challengeId }
    })

    app.post<{ Body: { verificationCode: string } }>(`/verify/${path}`, {
      schema: { body: { type: 'object', required: ['verificationCode'], additionalProperties: false, properties: { verificationCode: { type: 'string', maxLength: 16 } } } }
    }, async request => {
      const { claims, action } = await bearer(request)
      const challenge = activeCodeChallenge(ctx, keyOf(action), method)
      if (challenge?.otp == null) throw invalidRequest(`There is no ${name} code to verify for this token: enroll or start a challenge first.`)
      const authenticator = challenge.otp.authenticatorId == null ? undefined : store.authenticators.get(challenge.otp.authenticatorId)
      const enrolling = authenticator != null && authenticator.verifiedAt == null
      const usable = authenticator != null && (!enrolling ||
        (mayEnroll(ctx, claims) && store.pendingOf(claims.userId, method)?.userAuthenticatorId === authenticator.userAuthenticatorId))
      if (!usable) {
        store.challenges.delete(challenge.challengeId)
        await store.save()
        throw invalidRequest(`The ${name} enrollment this code was sent for is no longer pending.`)
      }
      if (!codeMatches(challenge, request.body.verificationCode)) return await wrongCode(action)
      // A code is used once.
      store.challenges.delete(challenge.challengeId)
      const now = new Date().toISOString()
      if (enrolling) store.markVerified(authenticator, now)
      authenticator.lastVerifiedAt = now
      const accessToken = await completeAction(ctx, action, method, enrolling)
      return { isVerified: true, accessToken, ...(enrolling ? { userAuthenticator: presentAuthenticator(authenticator) } : {}) }
    })
  }
}

const keyOf = (action: ActionRecord): string => actionKey(action.userId, action.actionCode, action.idempotencyKey)
