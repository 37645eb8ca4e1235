// The login page's passkey options, fetched by the IdP while it renders the page (option `prepareSignIn`), so
// the browser arms autofill and opens the button's prompt without a request of its own.
//
// The two requests are the ones @authsignal/browser sends before a passkey prompt (`PasskeyApiClient`:
// `POST /client/challenge` for the action, then `POST /client/user-authenticators/passkey/authentication-options`
// for that challenge), with the same `Authorization: Basic <tenant id>` header: no private endpoint, no secret.
// The answer is public (a challenge and the relying party's settings): it goes into the page as the elements'
// `prepared-options` attribute. Within a deadline, or not at all: the page never waits longer than
// `deadlineMs` for it, and the elements fetch their own options when it is missing (docs/performance.md).
import type { FastifyBaseLogger } from 'fastify'
import { sendHttp } from 'fastify-passkey-core'

export interface PrepareSignInSettings {
  tenantId: string
  /** Authsignal API base URL the IdP reaches (usually the browser's `apiUrl`). */
  apiUrl: string
  action: string
  deadlineMs: number
}

/** `{ challengeId, options }` as the elements take it, or undefined (late, failed, or an unexpected answer). */
export type SignInPreparer = (log: FastifyBaseLogger) => Promise<string | undefined>

const CHALLENGE = /^[\w-]{16,1024}$/
const MAX_ANSWER_BYTES = 16_384

// Over the server's own HTTP client (fastify-passkey-core's sendHttp: no redirect followed, the answer's size
// capped), not fetch, which costs this page several times the CPU (docs/performance.md, "IdP CPU").
async function post (url: string, headers: Record<string, string>, body: object, signal: AbortSignal): Promise<Record<string, unknown>> {
  const target = new URL(url)
  const response = await sendHttp({ url: target, method: 'POST', headers, body: JSON.stringify(body), timeoutMs: 0, maxBytes: MAX_ANSWER_BYTES, signal })
  if (response.status < 200 || response.status > 299) throw new Error(`${target.pathname} answered ${response.status}`)
  const json = JSON.parse(response.body) as unknown
  if (json == null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${target.pathname} answered no object`)
  return json as Record<string, unknown>
}

export function signInPreparer ({ tenantId, apiUrl, action, deadlineMs }: PrepareSignInSettings): SignInPreparer {
  // What the browser SDK's buildHeaders sends without a token: Basic, the URI-encoded tenant id in base64.
  const headers = { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(encodeURIComponent(tenantId)).toString('base64')}` }
  return async log => {
    const signal = AbortSignal.timeout(deadlineMs)
    try {
      const challenge = await post(`${apiUrl}/client/challenge`, headers, { action }, signal)
      const challengeId = challenge['challengeId']
      if (typeof challengeId !== 'string' || challengeId === '' || challengeId.length > 256) throw new Error('no challengeId')
      const answer = await post(`${apiUrl}/client/user-authenticators/passkey/authentication-options`, headers, { challengeId }, signal)
      const options = answer['options'] as { challenge?: unknown } | undefined
      const answeredId = answer['challengeId'] ?? challengeId
      if (options == null || typeof options !== 'object' || typeof options.challenge !== 'string' || !CHALLENGE.test(options.challenge) ||
        typeof answeredId !== 'string' || answeredId.length > 256) {
        throw new Error('unexpected authentication options')
      }
      return JSON.stringify({ challengeId: answeredId, options })
    } catch (error) {
      // The page goes out without them; the elements fetch their own. Never the answer itself in the log.
      const reason = signal.aborted ? `no answer within ${deadlineMs} ms` : error instanceof Error ? error.message : 'failed'
      log.warn({ event: 'prepare-sign-in-failed', reason }, 'passkey-login: the login page goes out without passkey options; the browser fetches them')
      return undefined
    }
  }
}
