// Tracked actions: creation by `track`, their tokens, completion by a challenge, and validation.
import { randomUUID } from 'node:crypto'
import type { EmulatorContext } from './context.js'
import { ApiError, invalidRequest } from './errors.js'
import type { ActionRecord, ActionState, VerificationMethod } from './store.js'
import { SCOPE_ADD, SCOPE_AFTER_CHALLENGE, SCOPE_READ, hasScope, type TokenClaims } from './tokens.js'

export const ACTION_CODE = /^[a-zA-Z0-9_-]{1,64}$/
/** The methods this emulated tenant has turned on (`allowedVerificationMethods`). */
export const ALL_METHODS: VerificationMethod[] = ['PASSKEY', 'AUTHENTICATOR_APP', 'EMAIL_OTP', 'SMS']

/** The user's default method: the one set through `updateUser`/`isDefault` if enrolled, else the first enrolled. */
export function defaultMethodOf (ctx: EmulatorContext, userId: string): VerificationMethod | undefined {
  const enrolled = ctx.store.enrolledMethods(userId)
  const chosen = ctx.store.users.get(userId)?.defaultVerificationMethod
  return chosen != null && enrolled.includes(chosen) ? chosen : enrolled[0]
}

export interface TrackAttributes {
  redirectUrl?: string
  scope?: string
  idempotencyKey?: string
  username?: string
  email?: string
  phoneNumber?: string
  displayName?: string
  custom?: Record<string, unknown>
  [key: string]: unknown
}

export const tokenFor = async (ctx: EmulatorContext, action: ActionRecord, scope = action.scope): Promise<string> =>
  await ctx.tokens.issue({
    userId: action.userId,
    actionCode: action.actionCode,
    idempotencyKey: action.idempotencyKey,
    scope,
    username: ctx.store.users.get(action.userId)?.username
  })

function initialState (ctx: EmulatorContext, userId: string, actionCode: string): ActionState {
  const enrolled = ctx.store.authenticatorsOf(userId).length > 0
  const outcome = ctx.options.actionOutcomes[actionCode] ?? (enrolled ? 'CHALLENGE' : 'ALLOW')
  switch (outcome) {
    case 'BLOCK': return 'BLOCK'
    case 'REVIEW': return 'REVIEW_REQUIRED'
    // Authsignal can only challenge a user who has an authenticator (docs /learn/faqs).
    case 'CHALLENGE': return enrolled ? 'CHALLENGE_REQUIRED' : 'ALLOW'
    default: return 'ALLOW'
  }
}

export function trackResponseBody (ctx: EmulatorContext, action: ActionRecord, token: string): Record<string, unknown> {
  const enrolled = ctx.store.enrolledMethods(action.userId)
  return {
    state: action.state,
    url: `${ctx.options.publicUrl}/challenge?token=${encodeURIComponent(token)}`,
    token,
    isEnrolled: enrolled.length > 0,
    idempotencyKey: action.idempotencyKey,
    enrolledVerificationMethods: enrolled,
    allowedVerificationMethods: ALL_METHODS,
    ...(enrolled.length > 0 ? { defaultVerificationMethod: defaultMethodOf(ctx, action.userId) } : {}),
    ruleIds: []
  }
}

/** `POST /users/:userId/actions/:action`: records the action (idempotent per key) and answers like Authsignal. */
export async function track (ctx: EmulatorContext, userId: string, actionCode: string, attributes: TrackAttributes): Promise<Record<string, unknown>> {
  if (!ACTION_CODE.test(actionCode)) throw invalidRequest('action must match ^[a-zA-Z0-9_-]{1,64}$')
  const { store } = ctx
  store.upsertUser(userId, {
    username: attributes.username,
    email: attributes.email,
    phoneNumber: attributes.phoneNumber,
    displayName: attributes.displayName,
    custom: attributes.custom
  })
  const idempotencyKey = attributes.idempotencyKey ?? randomUUID()
  let action = store.getAction(userId, actionCode, idempotencyKey)
  if (action == null) {
    const now = new Date().toISOString()
    action = store.putAction({
      userId,
      actionCode,
      idempotencyKey,
      state: initialState(ctx, userId, actionCode),
      createdAt: now,
      stateUpdatedAt: now,
      scope: attributes.scope ?? SCOPE_READ,
      redirectUrl: attributes.redirectUrl,
      failedAttempts: 0
    })
  }
  await store.save()
  return trackResponseBody(ctx, action, await tokenFor(ctx, action))
}

/**
 * Whether a token may add an authenticator — and so see or finish a pending enrollment: it carries
 * `add:authenticators`, or its user has no verified authenticator yet (docs: client API overview). One
 * rule for every method and for the hosted page.
 */
export function mayEnroll (ctx: EmulatorContext, claims: TokenClaims): boolean {
  return hasScope(claims, SCOPE_ADD) || ctx.store.authenticatorsOf(claims.userId).length === 0
}

/**
 * A challenge passed: the action succeeds and the caller gets a fresh token that may manage authenticators.
 * `enrolled`: it was passed by enrolling a new authenticator. An action tracked while the user had none
 * (ALLOW) then becomes CHALLENGE_SUCCEEDED, or stays ALLOW under the `hostedEnrollmentState` knob.
 */
export async function completeAction (ctx: EmulatorContext, action: ActionRecord, method: VerificationMethod, enrolled = false): Promise<string> {
  const stays = enrolled && action.state === 'ALLOW' && ctx.options.hostedEnrollmentState === 'ALLOW'
  if (stays) {
    action.verificationMethod = method
    action.stateUpdatedAt = new Date().toISOString()
  } else {
    ctx.store.setActionState(action, 'CHALLENGE_SUCCEEDED', method)
  }
  action.completedAt = new Date().toISOString()
  action.failedAttempts = 0
  await ctx.store.save()
  return await tokenFor(ctx, action, SCOPE_AFTER_CHALLENGE)
}

/** The action a verified token refers to; a token whose action was deleted is invalid. */
export function actionOf (ctx: EmulatorContext, claims: TokenClaims): ActionRecord {
  const action = ctx.store.getAction(claims.userId, claims.actionCode, claims.idempotencyKey)
  if (action == null) throw new ApiError(401, 'invalid_token', 'The token refers to an action that does not exist.')
  return action
}

/** A passkey sign-in with no tracked action: Authsignal records one itself, already succeeded. */
export async function recordPasskeySignIn (ctx: EmulatorContext, userId: string, actionCode: string): Promise<ActionRecord> {
  const now = new Date().toISOString()
  const action = ctx.store.putAction({
    userId,
    actionCode,
    idempotencyKey: randomUUID(),
    state: 'CHALLENGE_SUCCEEDED',
    verificationMethod: 'PASSKEY',
    createdAt: now,
    stateUpdatedAt: now,
    scope: SCOPE_READ,
    failedAttempts: 0
  })
  return action
}

/** Body of `POST /validate` for a verified token, after the optional userId / action checks. */
export function validationBody (action: ActionRecord, expected: { userId?: string, action?: string }): Record<string, unknown> {
  const body: Record<string, unknown> = {
    isValid: action.state === 'CHALLENGE_SUCCEEDED',
    state: action.state,
    stateUpdatedAt: action.stateUpdatedAt,
    userId: action.userId,
    action: action.actionCode,
    actionCode: action.actionCode,
    idempotencyKey: action.idempotencyKey,
    ...(action.verificationMethod != null ? { verificationMethod: action.verificationMethod } : {})
  }
  if (expected.userId != null && expected.userId !== action.userId) {
    return { ...body, isValid: false, error: 'The token was not issued for this user.', mismatch: 'user' }
  }
  if (expected.action != null && expected.action !== action.actionCode) {
    return { ...body, isValid: false, error: 'The token was not issued for this action.', mismatch: 'action' }
  }
  return body
}
