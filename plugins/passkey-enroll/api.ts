// What the plugin gives the host (the `passkeyEnroll` decorator) and what its own routes use: one recency
// rule, one way to list and remove passkeys, and what a page needs to render <passkey-enroll>.
import type { FastifyRequest } from 'fastify'
import { callAuthsignal, elementTags, elementTagsHtml, isUserId, type CspSources, type ElementTags } from 'fastify-passkey-core'
import { FST_PASSKEY_ENROLL_AUTH_TIME_MISSING, FST_PASSKEY_ENROLL_NOT_SIGNED_IN, FST_PASSKEY_ENROLL_REAUTHENTICATE } from './errors.js'
import type { ResolvedOptions } from './options.js'
import { summarizePasskeys, type PasskeySummary } from './passkeys.js'
import { enrollRefusals } from './routes/failures.js'

export interface SignInState {
  /** The signed-in user, when there is one. */
  userId?: string
  /** When they last authenticated (seconds since the epoch). */
  authTime?: number
  /** Signed in within `maxAuthAgeSeconds` (and not in the future beyond a minute of clock skew): may add or remove passkeys. */
  recent: boolean
}

export interface PasskeyEnrollApi {
  /** Who is signed in, since when, and whether recently enough to change passkeys: the plugin's one recency rule. */
  signInState (request: FastifyRequest): Promise<SignInState>
  /** The signed-in user's passkeys, oldest first. Throws FST_PASSKEY_ENROLL_NOT_SIGNED_IN (401) or FST_PASSKEY_UNAVAILABLE (503). */
  list (request: FastifyRequest): Promise<PasskeySummary[]>
  /**
   * Removes one of the signed-in user's passkeys after a recent sign-in. Ownership is checked against the
   * user's own list first: another user's id, or a non-passkey, is `not_found` and nothing is deleted.
   */
  remove (request: FastifyRequest, id: string): Promise<'removed' | 'not_found'>
  /** What a page needs to render `<passkey-enroll>`. */
  readonly element: {
    /** Scripts and preloads, with SRI; `html` is the same as tags for a page without a template engine. */
    tags: ElementTags
    html: string
    /** The element's attributes: where it gets tokens, and the Authsignal tenant and API it talks to. */
    attributes: { 'token-url': string, 'tenant-id': string, 'api-url': string }
    /** What the page's Content-Security-Policy must allow (the Authsignal API, a CDN). */
    csp: CspSources
  }
}

export function createPasskeyApi (options: ResolvedOptions, routeBase: string, elementsBase: string): PasskeyEnrollApi {
  const refusals = enrollRefusals(options)
  const call = <T>(request: FastifyRequest, name: string, fn: () => Promise<T>): Promise<T> =>
    callAuthsignal({ log: request.log, timeoutMs: options.authsignalTimeoutMs }, name, fn)

  async function signInState (request: FastifyRequest): Promise<SignInState> {
    const userId = await options.getUserId(request)
    if (userId == null || userId === '') return { recent: false }
    // A host handing over an id that is not one URL segment is a bug: a 500, and no Authsignal call (F4).
    if (!isUserId(userId)) throw new TypeError('passkey-enroll: user ids must match ^[A-Za-z0-9_-]{1,64}$ to be used with Authsignal')
    const authTime = await options.getAuthTime(request)
    if (typeof authTime !== 'number' || !Number.isFinite(authTime)) throw new FST_PASSKEY_ENROLL_AUTH_TIME_MISSING()
    const age = Date.now() / 1000 - authTime
    return { userId, authTime, recent: age >= -60 && age <= options.maxAuthAgeSeconds }
  }

  async function signedIn (request: FastifyRequest, recently: boolean): Promise<string> {
    const state = await signInState(request)
    if (state.userId == null) throw new FST_PASSKEY_ENROLL_NOT_SIGNED_IN()
    if (recently && !state.recent) {
      refusals.refused(request, 'reauthentication-required', state.userId)
      throw new FST_PASSKEY_ENROLL_REAUTHENTICATE()
    }
    return state.userId
  }

  async function listOf (request: FastifyRequest, userId: string): Promise<PasskeySummary[]> {
    return summarizePasskeys(await call(request, 'getAuthenticators', async () => await options.authsignal.getAuthenticators({ userId })))
  }

  const tags = elementTags(elementsBase, ['passkey-enroll'])
  return {
    signInState,

    async list (request) {
      return await listOf(request, await signedIn(request, false))
    },

    async remove (request, id) {
      const userId = await signedIn(request, true)
      const own = await listOf(request, userId)
      if (!own.some(p => p.id === id)) {
        // Another user's passkey, or one already gone: nothing is deleted; a line, since it may be an attempt on someone else's.
        refusals.refused(request, 'passkey-not-found', userId)
        return 'not_found'
      }
      await call(request, 'deleteAuthenticator', async () => await options.authsignal.deleteAuthenticator({ userId, userAuthenticatorId: id }))
      request.log.info({ event: 'passkey-removed', userId }, 'passkey-enroll: passkey removed')
      return 'removed'
    },

    element: {
      tags,
      html: elementTagsHtml(tags),
      attributes: { 'token-url': `${routeBase}/enrollment-token`, 'tenant-id': options.tenantId, 'api-url': options.apiUrl },
      csp: { connect: [options.apiUrl], ...(/^https?:/.test(elementsBase) ? { script: [new URL(elementsBase).origin] } : {}) }
    }
  }
}
