// Turning a request to the hosted page into the action it is about: the token must verify, its action
// must exist, and the action's return address must be allowed. Every refusal is a HostedPageError that
// the page's error handler renders in words with the right status.
import { actionOf } from '../actions.js'
import type { EmulatorContext } from '../context.js'
import { ApiError } from '../errors.js'
import type { ActionRecord } from '../store.js'
import type { TokenClaims } from '../tokens.js'
import { checkRedirectUrl } from './redirect.js'

export type HostedErrorKind =
  | 'bad-request' | 'invalid-token' | 'expired-token'
  | 'redirect-missing' | 'redirect-malformed' | 'redirect-not-allowed'
  | 'action-closed' | 'not-verified' | 'cross-site' | 'not-found' | 'unexpected' | 'enroll-not-allowed'

export class HostedPageError extends Error {
  readonly statusCode: number
  readonly kind: HostedErrorKind
  /** The refused return origin (`redirect-not-allowed`), shown to help whoever configured the tenant. */
  readonly origin?: string
  /** Set when the page can still offer a way on: a verified token whose return address is allowed. */
  readonly back?: WayBack

  constructor (statusCode: number, kind: HostedErrorKind, extra: { origin?: string, back?: WayBack } = {}) {
    super(kind)
    this.statusCode = statusCode
    this.kind = kind
    this.origin = extra.origin
    this.back = extra.back
  }
}

/** `return`: back to the site (the cancel route); `resume`: back to the verification page. */
export interface WayBack { to: 'return' | 'resume', token: string, returnUrl: URL }

export interface Entry {
  claims: TokenClaims
  action: ActionRecord
  /** The action's `redirectUrl`, checked against the expected origins. */
  returnUrl: URL
}

/** States from which nothing on the page can lead to success. */
export const CLOSED_STATES = new Set(['BLOCK', 'CHALLENGE_FAILED', 'REVIEW_REQUIRED', 'REVIEW_FAILED', 'REVIEW_SUCCEEDED'])

export async function resolveEntry (ctx: EmulatorContext, token: string): Promise<Entry> {
  let claims: TokenClaims
  let action: ActionRecord
  try {
    claims = await ctx.tokens.verify(token)
    action = actionOf(ctx, claims)
  } catch (error) {
    if (error instanceof ApiError && error.code === 'expired_token') throw new HostedPageError(410, 'expired-token')
    if (error instanceof ApiError) throw new HostedPageError(400, 'invalid-token')
    throw error
  }
  const check = checkRedirectUrl(action.redirectUrl, ctx.options.expectedOrigins)
  if (!check.ok) throw new HostedPageError(400, `redirect-${check.reason}`, { origin: check.origin })
  return { claims, action, returnUrl: check.url }
}
