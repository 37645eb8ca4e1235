// Authsignal Server API (secret-key Basic auth): track, validate, users, authenticators, actions.
import type { FastifyPluginAsync } from 'fastify'
import { randomUUID } from 'node:crypto'
import { ALL_METHODS, actionOf, defaultMethodOf, tokenFor, track, validationBody, type TrackAttributes } from './actions.js'
import { requireSecret } from './auth.js'
import { presentAuthenticator } from './authenticators.js'
import type { EmulatorContext } from './context.js'
import { ApiError, invalidRequest, notFound } from './errors.js'
import type { ActionState, ChallengeRecord, UserRecord, VerificationMethod } from './store.js'
import { E164, EMAIL } from './patterns.js'
import { codeMatches, sendCode, type OtpMethod } from './otp.js'
import { SCOPE_READ } from './tokens.js'
import { base32Decode } from './totp.js'

const userId = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[^\\u0000-\\u001f]+$' }
const actionCode = { type: 'string', pattern: '^[a-zA-Z0-9_-]{1,64}$' }
const shortString = { type: 'string', maxLength: 512 }
const STATES: ActionState[] = ['ALLOW', 'BLOCK', 'CHALLENGE_REQUIRED', 'CHALLENGE_SUCCEEDED', 'CHALLENGE_FAILED', 'REVIEW_REQUIRED', 'REVIEW_SUCCEEDED', 'REVIEW_FAILED']
/** Every verification method the SDKs' types name (what `defaultVerificationMethod` may be set to). */
const ANY_METHOD = ['SMS', 'EMAIL_OTP', 'EMAIL_MAGIC_LINK', 'AUTHENTICATOR_APP', 'PASSKEY', 'SECURITY_KEY', 'PUSH', 'VERIFF', 'IPROOV', 'IDVERSE', 'PALM_BIOMETRICS_RR', 'RECOVERY_CODE', 'DEVICE', 'WHATSAPP']

/**
 * An optional attribute may also be sent as `null`: the Go SDK always sends `"redirectToSettings": null`
 * (no `omitempty` on it), Ruby SDK 2.x sent `"userId": null, "action": null` to validate until it began
 * dropping nulls (authsignal-ruby 0425f45 → 95efce7). A null is the same as an absent attribute.
 */
const orNull = (schema: Record<string, unknown>): Record<string, unknown> => Array.isArray(schema.enum)
  ? { ...schema, enum: [...schema.enum as unknown[], null] }
  : { ...schema, type: [schema.type, 'null'] }
const withoutNulls = <T extends object>(body: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(body ?? {}).filter(([, v]) => v != null)) as Partial<T>

const userAttributes = {
  email: orNull(shortString),
  phoneNumber: orNull({ type: 'string', maxLength: 32 }),
  username: orNull(shortString),
  displayName: orNull(shortString),
  custom: orNull({ type: 'object', maxProperties: 50 })
}

// Track and update-user bodies are the caller's attribute dictionary as it is: keys the API does not know
// are ignored, not refused (the Python SDK sends `redirect_url`, `ip_address`… as given, and its test
// suite, which runs against the real API, passes). Known keys are type-checked.
const trackSchema = {
  params: { type: 'object', required: ['userId', 'action'], properties: { userId, action: actionCode } },
  body: {
    type: 'object',
    maxProperties: 64,
    properties: {
      ...userAttributes,
      redirectUrl: orNull({ type: 'string', maxLength: 2048 }),
      redirectToSettings: orNull({ type: 'boolean' }),
      scope: orNull({ type: 'string', maxLength: 256, pattern: '^(read|add|update|remove):authenticators( (read|add|update|remove):authenticators)*$' }),
      idempotencyKey: orNull({ type: 'string', minLength: 1, maxLength: 128 }),
      ipAddress: orNull({ type: 'string', maxLength: 64 }),
      userAgent: orNull({ type: 'string', maxLength: 1024 }),
      deviceId: orNull({ type: 'string', maxLength: 256 }),
      challengeId: orNull({ type: 'string', maxLength: 256 }),
      locale: orNull({ type: 'string', maxLength: 32 }),
      customDomain: orNull({ type: 'string', maxLength: 256 }),
      crypto: orNull({ type: 'object', maxProperties: 10 })
    }
  }
}

const updateUserSchema = {
  params: { type: 'object', properties: { userId } },
  body: {
    type: 'object',
    maxProperties: 64,
    properties: {
      ...userAttributes,
      emailVerified: orNull({ type: 'boolean' }),
      phoneNumberVerified: orNull({ type: 'boolean' }),
      locale: orNull({ type: 'string', maxLength: 32 }),
      defaultVerificationMethod: { enum: [...ANY_METHOD, null] }
    }
  }
}

interface UpdateUserBody {
  email?: string | null
  emailVerified?: boolean | null
  phoneNumber?: string | null
  phoneNumberVerified?: boolean | null
  username?: string | null
  displayName?: string | null
  custom?: Record<string, unknown> | null
  locale?: string | null
  defaultVerificationMethod?: VerificationMethod | null
}

/** `POST /users/:userId/authenticators`: the documented methods; the emulator enrolls the ones it can challenge. */
const ENROLLABLE = ['SMS', 'EMAIL_OTP', 'AUTHENTICATOR_APP'] as const
const enrollSchema = {
  params: { type: 'object', properties: { userId } },
  body: {
    type: 'object',
    additionalProperties: false,
    properties: {
      verificationMethod: { enum: ['EMAIL_MAGIC_LINK', 'EMAIL_OTP', 'SMS', 'AUTHENTICATOR_APP', 'PASSKEY', 'WHATSAPP'] },
      /** Deprecated name of `verificationMethod` (docs). */
      oobChannel: { enum: ['EMAIL_MAGIC_LINK', 'EMAIL_OTP', 'SMS'] },
      email: orNull({ type: 'string', pattern: EMAIL }),
      phoneNumber: orNull({ type: 'string', pattern: E164 }),
      otpUri: orNull({ type: 'string', maxLength: 2048 }),
      isDefault: orNull({ type: 'boolean' }),
      // PASSKEY import fields (documented; refused below: the key format is not pinned down).
      credentialId: orNull({ type: 'string', maxLength: 2048 }),
      publicKey: orNull({ type: 'string', maxLength: 4096 }),
      counter: orNull({ type: 'integer', minimum: 0 }),
      name: orNull({ type: 'string', maxLength: 256 })
    }
  }
}

interface EnrollBody {
  verificationMethod?: string
  oobChannel?: string
  email?: string | null
  phoneNumber?: string | null
  otpUri?: string | null
  isDefault?: boolean | null
}

/** The base32 secret of an `otpauth://totp/…?secret=…` URI, or null. */
function otpSecret (uri: string): string | null {
  let url: URL
  try { url = new URL(uri) } catch { return null }
  const secret = url.searchParams.get('secret')
  if (url.protocol !== 'otpauth:' || url.host !== 'totp' || secret == null || secret.length < 16) return null
  try { base32Decode(secret) } catch { return null }
  return secret.toUpperCase().replace(/=+$/, '')
}

function presentUser (ctx: EmulatorContext, user: UserRecord | undefined, id: string): Record<string, unknown> {
  const enrolled = ctx.store.enrolledMethods(id)
  const preferred = defaultMethodOf(ctx, id)
  return {
    isEnrolled: enrolled.length > 0,
    ...(user?.email != null ? { email: user.email } : {}),
    emailVerified: user?.emailVerified ?? false,
    ...(user?.phoneNumber != null ? { phoneNumber: user.phoneNumber } : {}),
    phoneNumberVerified: user?.phoneNumberVerified ?? false,
    ...(user?.username != null ? { username: user.username } : {}),
    ...(user?.displayName != null ? { displayName: user.displayName } : {}),
    ...(user?.custom != null ? { custom: user.custom } : {}),
    ...(user?.locale != null ? { locale: user.locale } : {}),
    enrolledVerificationMethods: enrolled,
    allowedVerificationMethods: ALL_METHODS,
    ...(preferred != null ? { defaultVerificationMethod: preferred } : {})
  }
}

/** What `updateUser` answers: the user's attributes (the SDKs' `UserAttributes`). */
function userAttributesOf (user: UserRecord): Record<string, unknown> {
  const { userId: _id, createdAt: _created, ...attributes } = user
  return { ...attributes, emailVerified: user.emailVerified ?? false, phoneNumberVerified: user.phoneNumberVerified ?? false }
}

export const serverApi: FastifyPluginAsync<{ ctx: EmulatorContext }> = async (app, { ctx }) => {
  const { store } = ctx
  app.addHook('onRequest', async request => { requireSecret(request, ctx.options.secret) })

  app.post<{ Params: { userId: string, action: string }, Body: TrackAttributes | undefined }>(
    '/users/:userId/actions/:action', { schema: trackSchema },
    async request => await track(ctx, request.params.userId, request.params.action, withoutNulls(request.body)))

  app.post<{ Body: { token: string, userId?: string | null, action?: string | null } }>('/validate', {
    schema: {
      body: {
        type: 'object',
        required: ['token'],
        additionalProperties: false,
        properties: { token: { type: 'string', minLength: 1, maxLength: 8192 }, userId: orNull(userId), action: orNull(actionCode) }
      }
    }
  }, async request => {
    const { token, userId: expectedUser, action: expectedAction } = withoutNulls(request.body) as { token: string, userId?: string, action?: string }
    let action
    try {
      action = actionOf(ctx, await ctx.tokens.verify(token))
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      // Knob `validateErrorStatus`: a bad or expired token is `isValid: false` (200) or an error answer.
      if (ctx.options.validateErrorStatus !== 200) throw new ApiError(ctx.options.validateErrorStatus, error.code, error.message)
      return { isValid: false, error: error.code }
    }
    const body = validationBody(action, { userId: expectedUser, action: expectedAction })
    if (body.mismatch != null && ctx.options.validateErrorStatus !== 200) throw new ApiError(ctx.options.validateErrorStatus, 'invalid_request', String(body.error))
    delete body.mismatch
    if (ctx.options.singleUseValidate && body.isValid === true) {
      if (action.consumedAt != null) return { ...body, isValid: false, error: 'The token has already been validated.' }
      action.consumedAt = new Date().toISOString()
      await store.save()
    }
    return body
  })

  // ---- email and SMS codes without a token (Server API challenges) ----
  // `challenge` sends a code to an address, `verify` checks it, `claim` binds a verified challenge to a user
  // and answers a token that validates to CHALLENGE_SUCCEEDED. The emulator does not enroll the address as
  // an authenticator on claim (what the real service does with `scope` there is not documented in detail).

  const serverChallenge = (id: string): ChallengeRecord | undefined => {
    const c = store.challenges.get(id)
    if (c?.kind !== 'otp' || c.otp?.server !== true) return undefined
    if (c.expiresAt < Date.now()) { store.challenges.delete(id); return undefined }
    return c
  }
  const describeChallenge = (c: ChallengeRecord): Record<string, unknown> => ({
    challengeId: c.challengeId,
    expiresAt: Math.floor(c.expiresAt / 1000),
    verificationMethod: c.otp?.method,
    ...(c.otp?.method === 'SMS' ? { phoneNumber: c.otp.to } : { email: c.otp?.to }),
    ...(c.actionCode != null ? { action: c.actionCode } : {}),
    ...(c.userId != null ? { userId: c.userId } : {})
  })

  app.post<{ Body: { verificationMethod: string, action: string, email?: string, phoneNumber?: string, userId?: string, scope?: string, idempotencyKey?: string } }>('/challenge', {
    schema: {
      body: {
        type: 'object',
        required: ['verificationMethod', 'action'],
        additionalProperties: false,
        properties: {
          verificationMethod: { enum: ['EMAIL_OTP', 'SMS', 'WHATSAPP'] },
          action: actionCode,
          email: orNull({ type: 'string', pattern: EMAIL }),
          phoneNumber: orNull({ type: 'string', pattern: E164 }),
          userId: orNull(userId),
          scope: orNull({ type: 'string', pattern: '^(add|update):authenticators( (add|update):authenticators)?$' }),
          idempotencyKey: orNull({ type: 'string', minLength: 1, maxLength: 128 }),
          smsChannel: { enum: ['DEFAULT', 'WHATSAPP', 'SMS', null] },
          locale: orNull({ type: 'string', maxLength: 32 }),
          ipAddress: orNull({ type: 'string', maxLength: 64 }),
          userAgent: orNull({ type: 'string', maxLength: 1024 }),
          deviceId: orNull({ type: 'string', maxLength: 256 }),
          custom: orNull({ type: 'object', maxProperties: 50 }),
          challengeId: orNull({ type: 'string', maxLength: 128 })
        }
      }
    }
  }, async request => {
    const b = withoutNulls(request.body)
    if (b.verificationMethod === 'WHATSAPP') throw invalidRequest('WHATSAPP challenges are not emulated: use SMS.')
    const method = b.verificationMethod as OtpMethod
    const to = method === 'SMS' ? b.phoneNumber : b.email
    if (to == null) throw invalidRequest(method === 'SMS' ? 'phoneNumber (E.164) is required for SMS.' : 'email is required for EMAIL_OTP.')
    const idempotencyKey = b.idempotencyKey ?? randomUUID()
    const challenge = sendCode(ctx, { method, to, purpose: 'server', userId: b.userId, actionCode: b.action, idempotencyKey, scope: b.scope }, request.log)
    await store.save()
    return { challengeId: challenge.challengeId, idempotencyKey, expiresAt: Math.floor(challenge.expiresAt / 1000) }
  })

  app.post<{ Body: { challengeId: string, verificationCode: string } }>('/verify', {
    schema: {
      body: {
        type: 'object',
        required: ['challengeId', 'verificationCode'],
        additionalProperties: false,
        properties: { challengeId: { type: 'string', minLength: 1, maxLength: 128 }, verificationCode: { type: 'string', maxLength: 16 } }
      }
    }
  }, async request => {
    const c = serverChallenge(request.body.challengeId)
    if (c?.otp == null || c.otp.verifiedAt != null) return { isVerified: false, failureReason: 'CODE_INVALID_OR_EXPIRED' }
    if (c.otp.attempts >= ctx.options.maxFailedAttempts) return { isVerified: false, failureReason: 'MAX_ATTEMPTS_EXCEEDED' }
    if (!codeMatches(c, request.body.verificationCode)) {
      c.otp.attempts++
      await store.save()
      return { isVerified: false, failureReason: c.otp.attempts >= ctx.options.maxFailedAttempts ? 'MAX_ATTEMPTS_EXCEEDED' : 'CODE_INVALID_OR_EXPIRED' }
    }
    c.otp.verifiedAt = new Date().toISOString()
    await store.save()
    return { isVerified: true, verificationMethod: c.otp.method, ...(c.otp.method === 'SMS' ? { phoneNumber: c.otp.to } : { email: c.otp.to }) }
  })

  app.post<{ Body: { challengeId: string, userId: string, skipVerificationCheck?: boolean | null } }>('/claim', {
    schema: {
      body: {
        type: 'object',
        required: ['challengeId', 'userId'],
        additionalProperties: false,
        properties: { challengeId: { type: 'string', minLength: 1, maxLength: 128 }, userId, skipVerificationCheck: orNull({ type: 'boolean' }) }
      }
    }
  }, async request => {
    const c = serverChallenge(request.body.challengeId)
    if (c?.otp == null || c.otp.claimedAt != null) throw invalidRequest('The challenge is unknown, expired or already claimed.')
    if (c.otp.verifiedAt == null && request.body.skipVerificationCheck !== true) throw invalidRequest('The challenge has not been verified: call verify first.')
    if (c.userId != null && c.userId !== request.body.userId) throw invalidRequest('The challenge was initiated for another user.')
    c.otp.claimedAt = new Date().toISOString()
    store.upsertUser(request.body.userId)
    const now = new Date().toISOString()
    const action = store.putAction({
      userId: request.body.userId,
      actionCode: c.actionCode ?? 'challenge',
      idempotencyKey: c.otp.idempotencyKey ?? randomUUID(),
      state: 'CHALLENGE_SUCCEEDED',
      verificationMethod: c.otp.method,
      createdAt: now,
      stateUpdatedAt: now,
      scope: c.otp.scope ?? SCOPE_READ,
      failedAttempts: 0
    })
    await store.save()
    return { token: await tokenFor(ctx, action), verificationMethod: c.otp.method }
  })

  // Node sends GET; the Java and .NET SDKs send POST (with the query string, and the request as a body).
  const getChallenge = async (request: { query: { challengeId?: string, userId?: string, action?: string, verificationMethod?: string } }): Promise<Record<string, unknown>> => {
    const q = request.query
    const now = Date.now()
    const found = [...store.challenges.values()].reverse().find(c =>
      c.kind === 'otp' && c.otp?.server === true && c.otp.claimedAt == null && c.expiresAt >= now &&
      (q.challengeId == null || c.challengeId === q.challengeId) && (q.userId == null || c.userId === q.userId) &&
      (q.action == null || c.actionCode === q.action) && (q.verificationMethod == null || c.otp.method === q.verificationMethod))
    if (found == null || Object.values(q).every(v => v == null)) throw notFound('No active challenge matches.')
    return describeChallenge(found)
  }
  const challengesQuery = {
    type: 'object',
    additionalProperties: false,
    properties: { challengeId: { type: 'string', maxLength: 128 }, userId, action: actionCode, verificationMethod: { enum: ['EMAIL_OTP', 'SMS', 'WHATSAPP'] } }
  }
  app.get('/challenges', { schema: { querystring: challengesQuery } }, getChallenge as never)
  app.post('/challenges', { schema: { querystring: challengesQuery, body: { type: ['object', 'null'], maxProperties: 10 } } }, getChallenge as never)

  app.get<{ Querystring: { username?: string, email?: string, phoneNumber?: string, token?: string, limit?: number, lastEvaluatedUserId?: string } }>('/users', {
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { ...userAttributes, token: { type: 'string', maxLength: 8192 }, limit: { type: 'integer', minimum: 1, maximum: 1000 }, lastEvaluatedUserId: userId }
      }
    }
  }, async request => {
    const { username, email, phoneNumber, token, limit = 100, lastEvaluatedUserId } = request.query
    if (token != null) throw invalidRequest('Querying users by an Apple or Google ID token is not supported by the emulator.')
    const sorted = [...store.users.values()]
      .filter(u => (username == null || u.username === username) && (email == null || u.email === email) && (phoneNumber == null || u.phoneNumber === phoneNumber))
      .sort((a, b) => a.userId.localeCompare(b.userId))
      .filter(u => lastEvaluatedUserId == null || u.userId > lastEvaluatedUserId)
    const page = sorted.slice(0, limit)
    return {
      users: page.map(u => ({ userId: u.userId, ...presentUser(ctx, u, u.userId), createdAt: u.createdAt })),
      ...(sorted.length > limit ? { lastEvaluatedUserId: page.at(-1)?.userId } : {})
    }
  })

  app.get<{ Params: { userId: string } }>('/users/:userId', { schema: { params: { type: 'object', properties: { userId } } } },
    async request => presentUser(ctx, store.users.get(request.params.userId), request.params.userId))

  // Update user: PATCH (Node, Python, Go, .NET) and POST (Ruby, Java) alike. A null leaves the attribute as
  // it is; a key the API does not know is ignored.
  const updateUser = async (request: { params: { userId: string }, body?: UpdateUserBody }): Promise<Record<string, unknown>> => {
    const b = withoutNulls(request.body)
    const user = store.upsertUser(request.params.userId, {
      email: b.email, emailVerified: b.emailVerified, phoneNumber: b.phoneNumber, phoneNumberVerified: b.phoneNumberVerified,
      username: b.username, displayName: b.displayName, custom: b.custom, locale: b.locale, defaultVerificationMethod: b.defaultVerificationMethod
    } as Partial<UserRecord>)
    await store.save()
    return userAttributesOf(user)
  }
  app.patch<{ Params: { userId: string }, Body: UpdateUserBody }>('/users/:userId', { schema: updateUserSchema }, updateUser)
  app.post<{ Params: { userId: string }, Body: UpdateUserBody }>('/users/:userId', { schema: updateUserSchema }, updateUser)
  // The .NET SDK's BatchEnrollVerifiedAuthenticators: a static path that would otherwise update a user
  // called "authenticators". Passkey import needs a public-key format no public source pins down.
  // Answered like every route the emulator does not have (404), and in words.
  app.post('/users/authenticators', { schema: { body: { type: 'object', maxProperties: 1 } } }, async () => {
    throw notFound('Batch enrollment of verified authenticators (POST /users/authenticators) is not emulated.')
  })

  app.delete<{ Params: { userId: string } }>('/users/:userId', { schema: { params: { type: 'object', properties: { userId } } } }, async request => {
    store.deleteUser(request.params.userId)
    await store.save()
    return {}
  })

  app.get<{ Params: { userId: string } }>('/users/:userId/authenticators', { schema: { params: { type: 'object', properties: { userId } } } },
    async request => store.authenticatorsOf(request.params.userId).map(a => presentAuthenticator(a, store.users.get(a.userId)?.username)))

  app.post<{ Params: { userId: string }, Body: EnrollBody }>('/users/:userId/authenticators', { schema: enrollSchema }, async request => {
    const body = request.body
    const method = body.verificationMethod ?? body.oobChannel
    if (method == null) throw invalidRequest('verificationMethod is required.')
    if (!(ENROLLABLE as readonly string[]).includes(method)) {
      throw invalidRequest(`Enrolling ${method} is not emulated: the emulator enrolls ${ENROLLABLE.join(', ')}.`)
    }
    const id = request.params.userId
    let authenticator
    if (method === 'SMS') {
      if (body.phoneNumber == null) throw invalidRequest('phoneNumber (E.164) is required for SMS.')
      authenticator = { verificationMethod: 'SMS' as const, phoneNumber: body.phoneNumber }
    } else if (method === 'EMAIL_OTP') {
      if (body.email == null) throw invalidRequest('email is required for EMAIL_OTP.')
      authenticator = { verificationMethod: 'EMAIL_OTP' as const, email: body.email }
    } else {
      const secret = body.otpUri == null ? null : otpSecret(body.otpUri)
      if (secret == null) throw invalidRequest('otpUri must be an otpauth://totp/ URI with a base32 secret for AUTHENTICATOR_APP.')
      authenticator = { verificationMethod: 'AUTHENTICATOR_APP' as const, totp: { secret, lastUsedStep: 0 } }
    }
    store.upsertUser(id, body.isDefault === true ? { defaultVerificationMethod: authenticator.verificationMethod } : {})
    const added = store.addAuthenticator({ userId: id, verifiedAt: new Date().toISOString(), ...authenticator })
    await store.save()
    return { authenticator: presentAuthenticator(added, store.users.get(id)?.username) }
  })

  app.delete<{ Params: { userId: string, id: string } }>('/users/:userId/authenticators/:id', {
    schema: { params: { type: 'object', properties: { userId, id: { type: 'string', maxLength: 128 } } } }
  }, async request => {
    const authenticator = store.authenticators.get(request.params.id)
    if (authenticator == null || authenticator.userId !== request.params.userId) throw notFound('Authenticator not found.')
    store.authenticators.delete(authenticator.userAuthenticatorId)
    await store.save()
    return {}
  })

  const actionParams = { type: 'object', properties: { userId, action: actionCode, idempotencyKey: { type: 'string', minLength: 1, maxLength: 128 } } }
  type ActionParams = { userId: string, action: string, idempotencyKey: string }
  const findAction = (p: ActionParams) => {
    const action = store.getAction(p.userId, p.action, p.idempotencyKey)
    if (action == null) throw notFound('Action not found.')
    return action
  }
  const presentAction = (a: ReturnType<typeof findAction>) => ({
    state: a.state,
    stateUpdatedAt: a.stateUpdatedAt,
    createdAt: a.createdAt,
    ...(a.verificationMethod != null ? { verificationMethod: a.verificationMethod } : {}),
    rules: [],
    output: {}
  })

  app.get<{ Params: ActionParams }>('/users/:userId/actions/:action/:idempotencyKey', { schema: { params: actionParams } },
    async request => presentAction(findAction(request.params)))

  app.patch<{ Params: ActionParams, Body: { state: ActionState } }>('/users/:userId/actions/:action/:idempotencyKey', {
    schema: { params: actionParams, body: { type: 'object', required: ['state'], additionalProperties: false, properties: { state: { enum: STATES } } } }
  }, async request => {
    const action = findAction(request.params)
    store.setActionState(action, request.body.state)
    await store.save()
    return { state: action.state }
  })

  app.get<{ Params: { userId: string }, Querystring: { fromDate?: string, codes?: string, state?: ActionState } }>('/users/:userId/actions', {
    schema: {
      params: { type: 'object', properties: { userId } },
      querystring: { type: 'object', additionalProperties: false, properties: { fromDate: { type: 'string', format: 'date-time' }, codes: { type: 'string', maxLength: 1024 }, state: { enum: STATES } } }
    }
  }, async request => {
    const { fromDate, codes, state } = request.query
    const wanted = codes?.split(',')
    return [...store.actions.values()]
      .filter(a => a.userId === request.params.userId && (wanted == null || wanted.includes(a.actionCode)) &&
        (state == null || a.state === state) && (fromDate == null || a.createdAt >= new Date(fromDate).toISOString()))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map(a => ({ actionCode: a.actionCode, idempotencyKey: a.idempotencyKey, ...presentAction(a) }))
  })
}
