// The only door to the browser SDK (@authsignal/browser), with ./authsignal-enroll.ts (<passkey-enroll>'s steps,
// apart so that sign-in pages do not carry them). Elements talk to a `PasskeyClient`: calls that never
// throw and answer with a value or a classified error, plus `abort()` for the page's autofill. Anything else
// implementing `PasskeyClient` can be set as an element's `authsignal` property.
//
// The built-in client runs the SDK's `passkey.signIn` and `passkey.signUp` step by step, with the requests of
// the SDK's own API client (`PasskeyApiClient`, restated in ./authsignal-api.ts: every request is the one the
// SDK sends) and the SimpleWebAuthn ceremonies it bundles. Split so: the requests before the prompt (`signInOptions`: `POST /client/challenge`
// then `…/passkey/authentication-options`; `signUpOptions`: `…/passkey/registration-options`) can be made
// ahead of the click, and one answer serves an aborted autofill and then the button's prompt. What the SDK
// does besides, the elements do not need: its token cache (for its other methods) and its list of this
// device's credential ids in localStorage (for `isAvailableOnDevice`).
import {
  WebAuthnAbortService,
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication
} from 'virtual:authsignal-passkey'
import { authenticationOptions, challenge, errorOf, failed, verify, type ClientApi } from './authsignal-api.js'
import { deviceId } from './device-id.js'
import { fromThrown, type PasskeyResult } from './error-codes.js'
import type { Enrollment, PasskeyClient, PasskeyClientOptions, SignInOptions } from './passkey-client.js'

export type { PasskeyClient, PasskeyClientOptions, PasskeyResult, SignInOptions, SignInValue, SignUpOptions, SignUpValue, WebAuthnOptionsJSON } from './passkey-client.js'

export function webAuthnAvailable (): boolean {
  return browserSupportsWebAuthn()
}

export async function autofillAvailable (): Promise<boolean> {
  try {
    return await browserSupportsWebAuthnAutofill()
  } catch {
    return false
  }
}

/** True for Authsignal options of the expected shape (from the network or from a server-rendered attribute). */
export function isSignInOptions (value: unknown): value is SignInOptions {
  const { challengeId, options } = (value ?? {}) as Partial<SignInOptions>
  return typeof challengeId === 'string' && challengeId !== '' && challengeId.length <= 256 &&
    typeof options === 'object' && options != null && typeof options.challenge === 'string' && /^[\w-]{16,1024}$/.test(options.challenge)
}

let enrollment: Enrollment | undefined
const notLoaded: PasskeyResult<never> = { ok: false, code: 'unsupported', reason: 'the registration ceremony is not loaded' }

/** Gives every built-in client (those created before too) its enrollment steps; called by <passkey-enroll>'s module. */
export function provideEnrollment (steps: Enrollment): void {
  enrollment = steps
}

export function createPasskeyClient ({ tenantId, baseUrl }: PasskeyClientOptions): PasskeyClient {
  const api: ClientApi = { tenantId, baseUrl }
  const anonymousId = deviceId()
  const client: PasskeyClient = {
    async signInOptions ({ action }) {
      try {
        const started = await challenge(api, action)
        if (failed(started)) return errorOf(started)
        const answer = await authenticationOptions(api, started.challengeId)
        if (failed(answer)) return errorOf(answer)
        const prepared = { challengeId: answer.challengeId, options: answer.options }
        return isSignInOptions(prepared) ? { ok: true, value: prepared } : { ok: false, code: 'unknown', reason: 'unexpected authentication options' }
      } catch (error) {
        return fromThrown(error)
      }
    },
    async signIn ({ action, autofill = false, prepared }) {
      let options = prepared
      if (options == null) {
        const fetched = await client.signInOptions!({ action })
        if (!fetched.ok) return fetched
        options = fetched.value
      }
      let picked = false
      try {
        const credential = await startAuthentication({ optionsJSON: options.options as never, useBrowserAutofill: autofill })
        picked = true
        const answer = await verify(api, credential, anonymousId, options.challengeId)
        if (failed(answer)) return { ...errorOf(answer), picked }
        if (answer.isVerified && typeof answer.accessToken === 'string') return { ok: true, value: { token: answer.accessToken, userId: answer.userId } }
        return { ok: false, code: 'not-allowed', reason: 'not verified', picked }
      } catch (error) {
        return { ...fromThrown(error), picked }
      }
    },
    // <passkey-enroll>'s, from its own module (./authsignal-enroll.ts): sign-in pages do not carry them.
    signUpOptions: async options => await (enrollment?.signUpOptions(api, options) ?? notLoaded),
    signUp: async options => await (enrollment?.signUp(api, options) ?? notLoaded),
    abort () {
      WebAuthnAbortService.cancelCeremony()
    }
  }
  return client
}
