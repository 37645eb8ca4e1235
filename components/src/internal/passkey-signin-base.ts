// What <passkey-input> and <passkey-signin-button> share: they are form-associated, read their Authsignal
// configuration from attributes, and hand a sign-in token to their form (`setFormValue` under `name`, then
// `requestSubmit()`), after a cancelable `passkey-signin` event.
import { LitElement } from 'lit'
import { property, state } from 'lit/decorators.js'
import { PasskeyErrorEvent, PasskeySigninEvent, type PasskeyErrorCode } from '../events.js'
import type { PasskeyClient } from './authsignal.js'
import { signInText } from './messages.js'
import { PasskeyClientSlot } from './passkey-client-slot.js'

export const DEFAULT_SIGNIN_ACTION = 'signInWithPasskey'

export class PasskeySigninBase extends LitElement {
  static formAssociated = true

  /** Form field name the token is submitted under. */
  @property({ reflect: true }) name = 'token'

  /** Authsignal tenant id. */
  @property({ attribute: 'tenant-id' }) tenantId = ''

  /** Authsignal API base URL, e.g. `https://api.authsignal.com/v1`. */
  @property({ attribute: 'api-url' }) apiUrl = ''

  /** Authsignal action code the sign-in is recorded under; the server validates the token against it. */
  @property() action = DEFAULT_SIGNIN_ACTION

  /** Replaces the SDK client built from `tenant-id` and `api-url` (demos, tests). */
  @property({ attribute: false }) authsignal: PasskeyClient | undefined

  /** True while a ceremony or the submission it leads to is in progress. */
  @state() protected pending = false

  /** The status region's text. */
  @state() protected statusText = ''

  protected readonly internals: ElementInternals = this.attachInternals()
  readonly #slot = new PasskeyClientSlot()

  /** The form the token is submitted with (the `form` attribute, else the enclosing form). */
  get form (): HTMLFormElement | null {
    return this.internals.form
  }

  protected client (): PasskeyClient | undefined {
    return this.authsignal ?? this.#slot.get(this.tenantId, this.apiUrl)
  }

  protected setPending (pending: boolean): void {
    this.pending = pending
    try {
      if (pending) this.internals.states.add('pending')
      else this.internals.states.delete('pending')
    } catch {
      // CustomStateSet is missing in older browsers; `aria-busy` still says it.
    }
  }

  /**
   * Fires `passkey-signin`; unless it is prevented, puts the token into the form and submits it.
   * Answers whether the form was submitted.
   */
  protected submitToken (token: string): boolean {
    if (!this.dispatchEvent(new PasskeySigninEvent({ token }))) return false
    const form = this.form
    if (form == null) {
      this.fail('unknown', signInText.noForm)
      return false
    }
    this.internals.setFormValue(token)
    form.requestSubmit()
    return true
  }

  protected fail (code: PasskeyErrorCode, message: string, { show = true } = {}): void {
    if (show) this.statusText = message
    this.dispatchEvent(new PasskeyErrorEvent({ code, message }))
  }

  formResetCallback (): void {
    this.internals.setFormValue(null)
  }
}
