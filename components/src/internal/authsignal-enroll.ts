// <passkey-enroll>'s half of the built-in client (./authsignal.ts): the SDK's `passkey.signUp({ token })`, step
// by step, with its registration ceremony (which <passkey-enroll>'s module hands over). Only that module
// imports this one (and gives every built-in client its steps with `provideEnrollment`), so the pages of the
// sign-in elements do not carry it. Its requests are the SDK's `PasskeyApiClient`'s, restated as
// ./authsignal-api.ts explains (and test/elements-internals.test.ts proves).
import type { AddAuthenticatorResponse, ErrorResponse, RegistrationOptsResponse } from '@authsignal/browser/dist/api/types/passkey.js'
import type { RegistrationResponseJSON, startRegistration } from '@simplewebauthn/browser'
import { errorOf, failed, post, type ClientApi } from './authsignal-api.js'
import type { Enrollment, WebAuthnOptionsJSON } from './passkey-client.js'
import { fromThrown } from './error-codes.js'

/**
 * `PasskeyApiClient.registrationOptions({ token, authenticatorAttachment: 'platform' })`, what `passkey.signUp({ token })`
 * sends: no username (Authsignal takes the token's user), a platform authenticator.
 */
export const registrationOptions = async (api: ClientApi, token: string): Promise<RegistrationOptsResponse | ErrorResponse> =>
  await post(api, 'user-authenticators/passkey/registration-options', { authenticatorAttachment: 'platform' }, token)

/** `PasskeyApiClient.addAuthenticator({ token, registrationCredential, conditionalCreate: false, challengeId })`. */
export const addAuthenticator = async (api: ClientApi, token: string, registrationCredential: RegistrationResponseJSON, challengeId: string): Promise<AddAuthenticatorResponse | ErrorResponse> =>
  await post(api, 'user-authenticators/passkey', { registrationCredential, conditionalCreate: false, challengeId }, token)

/** The enrollment steps, with the SDK's registration ceremony. */
export function enrollment (ceremony: typeof startRegistration): Enrollment {
  const steps: Enrollment = {
    async signUpOptions (api, { token }) {
      try {
        const answer = await registrationOptions(api, token)
        if (failed(answer)) return errorOf(answer)
        const prepared = { challengeId: answer.challengeId ?? '', options: answer.options as unknown as WebAuthnOptionsJSON, token }
        return typeof prepared.options?.challenge === 'string' ? { ok: true, value: prepared } : { ok: false, code: 'unknown', reason: 'unexpected registration options' }
      } catch (error) {
        return fromThrown(error)
      }
    },
    async signUp (api, { token, prepared }) {
      let options = prepared?.token === token ? prepared : undefined
      if (options == null) {
        const fetched = await steps.signUpOptions(api, { token })
        if (!fetched.ok) return fetched
        options = fetched.value
      }
      try {
        const credential = await ceremony({ optionsJSON: options.options as never })
        const answer = await addAuthenticator(api, token, credential, options.challengeId)
        if (failed(answer)) return errorOf(answer)
        if (answer.userAuthenticator == null && answer.accessToken == null) return { ok: false, code: 'unknown', reason: 'passkey not added' }
        return { ok: true, value: { userAuthenticatorId: answer.userAuthenticator?.userAuthenticatorId, credentialId: credential.id } }
      } catch (error) {
        return fromThrown(error)
      }
    }
  }
  return steps
}
