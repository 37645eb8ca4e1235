// Authsignal Server API (secret-key Basic auth): track, validate, users, authenticators, actions.
import type { FastifyPluginAsync } from 'fastify'
import { ALL_METHODS, actionOf, track, validationBody, type TrackAttributes } from './actions.js'
import { requireSecret } from './auth.js'
import { presentAuthenticator } from './authenticators.js'
import type { EmulatorContext } from './context.js'
import { ApiError, invalidRequest, notFound } from './errors.js'
import type { ActionState, UserRecord } from './store.js'

const userId = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[^\\u0000-\\u001f]+$' }
const actionCode = { type: 'string', pattern: '^[a-zA-Z0-9_-]{1,64}$' }
const shortString = { type: 'string', maxLength: 512 }
const STATES: ActionState[] = ['ALLOW', 'BLOCK', 'CHALLENGE_REQUIRED', 'CHALLENGE_SUCCEEDED', 'CHALLENGE_FAILED', 'REVIEW_REQUIRED', 'REVIEW_SUCCEEDED', 'REVIEW_FAILED']

const userAttributes = {
  email: shortString,
  phoneNumber: { type: 'string', maxLength: 32 },
  username: shortString,
  displayName: shortString,
  custom: { type: 'object', maxProperties: 50 }
}

const trackSchema = {
  params: { type: 'object', required: ['userId', 'action'], properties: { userId, action: actionCode } },
  body: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...userAttributes,
      redirectUrl: { type: 'string', maxLength: 2048 },
      redirectToSettings: { type: 'boolean' },
      scope: { type: 'string', maxLength: 256, pattern: '^(read|add|update|remove):authenticators( (read|add|update|remove):authenticators)*$' },
      idempotencyKey: { type: 'string', minLength: 1, maxLength: 128 },
      ipAddress: { type: 'string', maxLength: 64 },
      userAgent: { type: 'string', maxLength: 1024 },
      deviceId: { type: 'string', maxLength: 256 },
      challengeId: { type: 'string', maxLength: 256 },
      locale: { type: 'string', maxLength: 32 },
      customDomain: { type: 'string', maxLength: 256 }
    }
  }
}

function presentUser (ctx: EmulatorContext, user: UserRecord | undefined, id: string): Record<string, unknown> {
  const enrolled = ctx.store.enrolledMethods(id)
  return {
    isEnrolled: enrolled.length > 0,
    ...(user?.email != null ? { email: user.email } : {}),
    emailVerified: false,
    ...(user?.phoneNumber != null ? { phoneNumber: user.phoneNumber } : {}),
    phoneNumberVerified: false,
    ...(user?.username != null ? { username: user.username } : {}),
    ...(user?.displayName != null ? { displayName: user.displayName } : {}),
    ...(user?.custom != null ? { custom: user.custom } : {}),
    enrolledVerificationMethods: enrolled,
    allowedVerificationMethods: ALL_METHODS,
    ...(enrolled.length > 0 ? { defaultVerificationMethod: enrolled[0] } : {})
  }
}

export const serverApi: FastifyPluginAsync<{ ctx: EmulatorContext }> = async (app, { ctx }) => {
  const { store } = ctx
  app.addHook('onRequest', async request => { requireSecret(request, ctx.options.secret) })

  app.post<{ Params: { userId: string, action: string }, Body: TrackAttributes | undefined }>(
    '/users/:userId/actions/:action', { schema: trackSchema },
    async request => await track(ctx, request.params.userId, request.params.action, request.body ?? {}))

  app.post<{ Body: { token: string, userId?: string, action?: string } }>('/validate', {
    schema: {
      body: {
        type: 'object',
        required: ['token'],
        additionalProperties: false,
        properties: { token: { type: 'string', minLength: 1, maxLength: 8192 }, userId, action: actionCode }
      }
    }
  }, async request => {
    const { token, userId: expectedUser, action: expectedAction } = request.body
    let action
    try {
      action = actionOf(ctx, await ctx.tokens.verify(token))
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      if (ctx.options.validateMode === 'strict') throw new ApiError(400, error.code, error.message)
      return { isValid: false, error: error.code }
    }
    const body = validationBody(action, { userId: expectedUser, action: expectedAction })
    if (ctx.options.singleUseValidate && body.isValid === true) {
      if (action.consumedAt != null) return { ...body, isValid: false, error: 'The token has already been validated.' }
      action.consumedAt = new Date().toISOString()
      await store.save()
    }
    return body
  })

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

  app.patch<{ Params: { userId: string }, Body: Partial<UserRecord> }>('/users/:userId', {
    schema: { params: { type: 'object', properties: { userId } }, body: { type: 'object', additionalProperties: false, properties: userAttributes } }
  }, async request => {
    const { userId: _id, createdAt: _c, ...attributes } = store.upsertUser(request.params.userId, request.body ?? {})
    await store.save()
    return attributes
  })

  app.delete<{ Params: { userId: string } }>('/users/:userId', { schema: { params: { type: 'object', properties: { userId } } } }, async request => {
    store.deleteUser(request.params.userId)
    await store.save()
    return {}
  })

  app.get<{ Params: { userId: string } }>('/users/:userId/authenticators', { schema: { params: { type: 'object', properties: { userId } } } },
    async request => store.authenticatorsOf(request.params.userId).map(a => presentAuthenticator(a, store.users.get(a.userId)?.username)))

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
