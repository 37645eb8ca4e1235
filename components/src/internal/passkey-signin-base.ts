// What <passkey-input> and <passkey-signin-button> share: they are form-associated, read their Authsignal
// configuration from attributes, speak the page's language, and hand a sign-in token to their form
// (`setFormValue` under `name`, then `requestSubmit()`), after a cancelable `passkey-signin` event.
import { LitElement, type PropertyDeclarations } from 'lit'
import { PasskeyErrorEvent, PasskeySigninEvent, type PasskeyErrorCode } from '../events.js'
import type { PasskeyMessageKey, PasskeyMessages } from '../messages/types.js'
import { isSignInOptions, type PasskeyClient, type SignInOptions } from './authsignal.js'
import { LanguageController } from './i18n.js'
import type { OptionsSlot } from './options-slot.js'
import { pageClient, signInSlot } from './passkey-client-slot.js'
import type { Status } from './status.js'

export const DEFAULT_SIGNIN_ACTION = 'signInWithPasskey'

export class PasskeySigninBase extends LitElement {
  static formAssociated = true

  static override properties: PropertyDeclarations = {
    name: { reflect: true },
    tenantId: { attribute: 'tenant-id' },
    apiUrl: { attribute: 'api-url' },
    action: {},
    preparedOptions: { attribute: 'prepared-options' },
    authsignal: { attribute: false },
    messages: { attribute: false },
    pending: { state: true, attribute: false },
    status: { state: true, attribute: false }
  }

  /** Form field name the token is submitted under. */
  name = 'token'

  /** Authsignal tenant id. */
  tenantId = ''

  /** Authsignal API base URL, e.g. `https://api.authsignal.com/v1`. */
  apiUrl = ''

  /** Authsignal action code the sign-in is recorded under; the server validates the token against it. */
  action = DEFAULT_SIGNIN_ACTION

  /**
   * Authsignal's sign-in options for this page as JSON (`{ challengeId, options }`, the answer of
   * `POST /client/user-authenticators/passkey/authentication-options`), fetched by the server that rendered
   * it: autofill is armed and the first prompt opens without a request. Ignored when malformed or stale.
   */
  preparedOptions = ''

  /** Replaces the SDK client built from `tenant-id` and `api-url` (demos, tests). */
  authsignal: PasskeyClient | undefined

  /** Overrides some of the element's words (any key of `PasskeyMessages`), whatever the language. */
  messages: Partial<PasskeyMessages> | undefined

  /** True while a ceremony or the submission it leads to is in progress. */
  protected pending = false

  /** What the status regions say. */
  protected status: Status | undefined

  protected readonly i18n = new LanguageController(this)
  protected readonly internals: ElementInternals = this.attachInternals()

  /** The form the token is submitted with (the `form` attribute, else the enclosing form). */
  get form (): HTMLFormElement | null {
    return this.internals.form
  }

  /**
   * Sets the `form` attribute (a form's id). Frameworks set what an element has as a property rather than
   * as an attribute (React 19, Preact, Vue, Solid, Svelte): `form="passkey-form"` works there too.
   */
  set form (id: string | null) {
    if (id == null) this.removeAttribute('form')
    else this.setAttribute('form', id)
  }

  protected client (): PasskeyClient | undefined {
    return this.authsignal ?? pageClient(this.tenantId, this.apiUrl)
  }

  /**
   * The page's sign-in options for this element's client and action (shared with the page's other sign-in
   * element), seeded with `prepared-options`; undefined for a client that cannot fetch them ahead.
   */
  protected optionsSlot (client: PasskeyClient): OptionsSlot<SignInOptions> | undefined {
    const slot = signInSlot(client, this.action)
    if (slot != null && this.preparedOptions !== '') {
      let prepared: unknown
      try {
        prepared = JSON.parse(this.preparedOptions)
      } catch {}
      // Fetched while the page was being answered, after its navigation started: counted from then, to be safe
      // (on the Date.now() clock the slot compares with, not performance.timeOrigin's).
      if (isSignInOptions(prepared)) slot.seed(prepared, Date.now() - performance.now(), prepared.challengeId)
    }
    return slot
  }

  protected setPending (pending: boolean): void {
    this.pending = pending
    this.setState('pending', pending)
  }

  protected setState (name: string, on: boolean): void {
    try {
      if (on) this.internals.states.add(name)
      else this.internals.states.delete(name)
    } catch {
      // CustomStateSet is missing in older browsers; `aria-busy` and the words still say it.
    }
  }

  /** Shows a progress or success message (polite); `undefined` clears the regions. */
  protected say (key: PasskeyMessageKey | undefined): void {
    this.status = key == null ? undefined : { key, alert: false }
    this.setState('error', false)
  }

  /**
   * Fires `passkey-signin`; unless it is prevented, puts the token into the form and submits it.
   * Answers whether the form was submitted.
   */
  protected submitToken (token: string): boolean {
    if (!this.dispatchEvent(new PasskeySigninEvent({ token }))) return false
    const form = this.form
    if (form == null) {
      this.fail('unknown', 'signInNoForm')
      return false
    }
    this.internals.setFormValue(token)
    form.requestSubmit()
    return true
  }

  /** Says what went wrong (a cancel politely, anything else as an alert) and fires `passkey-error`. */
  protected fail (code: PasskeyErrorCode, key: PasskeyMessageKey, { show = true } = {}): void {
    if (show) {
      const alert = code !== 'cancelled'
      this.status = { key, alert }
      this.setState('error', alert)
    }
    this.dispatchEvent(new PasskeyErrorEvent({ code, message: this.i18n.t(key) }))
  }

  formResetCallback (): void {
    this.internals.setFormValue(null)
  }
}
