import { css, html, type PropertyDeclarations } from 'lit'
import { autofillAvailable, webAuthnAvailable, type PasskeyResult, type SignInValue } from './internal/authsignal.js'
import { pageCoordinator } from './internal/ceremony-coordinator.js'
import { signInErrorKey } from './internal/messages.js'
import { PasskeySigninBase } from './internal/passkey-signin-base.js'
import { statusRegions } from './internal/status.js'
import { baseStyles } from './internal/styles.js'

// The package's `passkey-elements/passkey-input.js` (and `passkey-elements`) export, beside the element, the
// events it fires and the types of its API.
export { PasskeyErrorEvent, PasskeySigninEvent } from './events.js'
export type { PasskeyErrorCode, PasskeyErrorDetail, PasskeySigninDetail } from './events.js'
export type { PasskeyClient, PasskeyResult, SignInValue, SignUpValue } from './internal/authsignal.js'
export { setPasskeyMessages } from './internal/i18n.js'
export { PASSKEY_LANGUAGES } from './messages/types.js'
export type { PasskeyLanguage, PasskeyMessageKey, PasskeyMessages } from './messages/types.js'

const AUTOFILL_INPUT = 'input[autocomplete~="webauthn"]'

/**
 * Offers the user's passkeys in the browser's autofill of a username field, and signs in with the one
 * they pick: the token goes into this element's form, which is submitted.
 *
 * The element enhances a server-rendered `<input autocomplete="username webauthn">` that stays in light
 * DOM, so it still posts with its own form (e.g. the password form) and password managers see it:
 *
 * ```html
 * <form method="post" action="/interaction/UID/login" id="password-form">
 *   <passkey-input form="passkey-form" tenant-id="TENANT" api-url="https://api.authsignal.com/v1">
 *     <label for="username">Username</label>
 *     <input id="username" name="username" autocomplete="username webauthn" required>
 *   </passkey-input>
 *   …
 * </form>
 * <form method="post" action="/interaction/UID/passkey" id="passkey-form"></form>
 * ```
 *
 * Form-associated: the token is submitted as field `name` (default `token`) of the form named by the
 * standard `form` attribute (else the enclosing form). Autofill is armed only when the browser supports
 * conditional mediation; it is re-armed after a failure and before its challenge goes stale, and pauses
 * while another passkey ceremony on the page runs. Only failures after the user picked a passkey are
 * shown; a dismissed prompt or an autofill that could not be armed shows nothing.
 *
 * Its words follow the nearest `lang` (the element, its ancestors, `<html lang>`; 11 languages ship, English
 * otherwise) and a `lang` that changes; the `messages` property, or `setPasskeyMessages()` for the whole page,
 * overrides them.
 *
 * @summary Passkey autofill for a server-rendered username field.
 *
 * @attr name - Form field name the token is submitted under. Default `token`.
 * @attr tenant-id - Authsignal tenant id (required).
 * @attr api-url - Authsignal API base URL, e.g. `https://api.authsignal.com/v1` (required).
 * @attr action - Authsignal action code recorded for the sign-in. Default `signInWithPasskey`.
 * @attr form - Id of the form the token is submitted with (standard form-associated attribute).
 * @attr refresh-interval - Seconds a fetched challenge is used for: armed autofill fetches a fresh one after that. Default 50: browsers ignore WebAuthn's `timeout` for autofill, so the offer can stand for minutes, but the challenge it signs must still be one the server holds — the options say 60 s (the emulator keeps challenges 5 minutes; Authsignal does not document its lifetime).
 * @attr prepared-options - Authsignal's sign-in options for this page (`{ challengeId, options }` as JSON), fetched by the server as it rendered the page: autofill is armed without a request. Optional; ignored when malformed or stale.
 *
 * @slot - The label and the `<input autocomplete="username webauthn">`.
 *
 * @csspart status - The two status regions that say what is happening, in words: `role="status"` (progress, success, a cancel) and `role="alert"` (errors); one is empty at a time.
 *
 * @cssprop [--passkey-font-family=inherit] - Font family of the words.
 * @cssprop [--passkey-font-size=inherit] - Font size of the element.
 * @cssprop [--passkey-gap=0.5em] - Space between your field and the words under it.
 * @cssprop [--passkey-status-color=inherit] - Colour of progress words (the page's text colour).
 * @cssprop [--passkey-status-font-size=inherit] - Font size of the words.
 * @cssprop [--passkey-error-color=light-dark(#b91c1c, #fca5a5)] - Colour of error words (`role="alert"`).
 *
 * @cssstate error - While the status region says what went wrong (`role="alert"`).
 * @cssstate pending - While the chosen passkey is being verified and the form submitted.
 *
 * @fires {PasskeySigninEvent} passkey-signin - Sign-in succeeded; `detail.token` is the Authsignal token. Cancelable: `preventDefault()` stops the form submission (autofill then stays down until `rearm()`). Bubbles, composed.
 * @fires {PasskeyErrorEvent} passkey-error - A chosen passkey failed or its prompt was cancelled; `detail.code`, `detail.message`. Bubbles, composed.
 */
export class PasskeyInputElement extends PasskeySigninBase {
  static override styles = [baseStyles, css`
    :host { display: block; }
  `]

  static override properties: PropertyDeclarations = {
    refreshInterval: { attribute: 'refresh-interval', type: Number }
  }

  /** Seconds after which armed autofill fetches a fresh challenge. */
  refreshInterval = 50

  #unregister: (() => Promise<void>) | undefined
  #connected = false

  /** The wrapped `<input autocomplete="… webauthn">`, if any. */
  get input (): HTMLInputElement | null {
    return this.querySelector<HTMLInputElement>(AUTOFILL_INPUT)
  }

  override connectedCallback (): void {
    super.connectedCallback()
    this.#connected = true
    void this.#arm()
  }

  override disconnectedCallback (): void {
    super.disconnectedCallback()
    this.#connected = false
    void this.#unregister?.()
    this.#unregister = undefined
  }

  /**
   * Offers passkeys in autofill again (restarting it if armed), e.g. after the page prevented
   * `passkey-signin` and its own use of the token failed.
   */
  async rearm (): Promise<void> {
    await this.#unregister?.()
    this.#unregister = undefined
    await this.#arm()
  }

  protected override render (): unknown {
    return html`<slot></slot>${statusRegions(this.status == null ? '' : this.i18n.t(this.status.key), this.status?.alert === true, this.i18n.lang)}`
  }

  async #arm (): Promise<void> {
    const client = this.client()
    const slot = client == null ? undefined : this.optionsSlot(client)
    const lifetimeMs = Math.max(1, Number.isFinite(this.refreshInterval) ? this.refreshInterval : 50) * 1000
    if (slot != null && slot.lifetimeMs > lifetimeMs) slot.lifetimeMs = lifetimeMs
    if (!webAuthnAvailable()) return
    // Autofill's first options are fetched while the browser says whether it can autofill (most can).
    if (slot != null && this.input != null && typeof PublicKeyCredential.isConditionalMediationAvailable === 'function') slot.prefetch({ keepFresh: false })
    if (!(await autofillAvailable())) return
    if (client == null || this.input == null || !this.#connected || this.#unregister != null) return
    const action = this.action
    let expiresAt = 0
    let stop: AbortController | undefined
    this.#unregister = pageCoordinator.registerAutofill<PasskeyResult<SignInValue>>({
      attempt: async () => {
        if (slot == null) {
          expiresAt = Date.now() + lifetimeMs
          return await client.signIn({ action, autofill: true })
        }
        // The options held, or those on their way; given back unless they reached Authsignal, so an
        // aborting prompt (the button's) or the next autofill starts with them.
        const own = stop = new AbortController()
        const held = slot.claim()
        expiresAt = held?.expiresAt ?? Date.now() + slot.lifetimeMs
        const taken = held != null ? { ok: true as const, value: held } : await slot.take(own.signal)
        if (!taken.ok) return taken
        expiresAt = taken.value.expiresAt
        if (own.signal.aborted) {
          slot.giveBack(taken.value)
          return { ok: false, code: 'cancelled', reason: 'aborted' }
        }
        const result = await client.signIn({ action, autofill: true, prepared: taken.value.value })
        if (!result.ok && result.picked !== true) slot.giveBack(taken.value)
        return result
      },
      abort: () => {
        stop?.abort()
        client.abort()
      },
      succeeded: result => result.ok,
      busy: () => this.input != null && this.input === document.activeElement,
      // Re-armed when the options it holds go stale.
      refreshMs: () => Math.max(1, expiresAt - Date.now()),
      settle: result => this.#settle(result)
    })
  }

  /** Answers whether autofill should be armed again. */
  #settle (result: PasskeyResult<SignInValue>): boolean {
    if (result.ok) {
      this.setPending(true)
      this.say('signInSigningIn')
      if (!this.submitToken(result.value.token)) {
        // The page took the token (or there is no form): autofill stays down until `rearm()`.
        this.setPending(false)
        if (this.status?.key === 'signInSigningIn') this.say(undefined)
      }
      return false
    }
    // Until the user has picked a passkey, failures happen without them asking for anything (arming at
    // page load, a dismissed prompt, a browser that cannot autofill): no message, only the event.
    const quiet = result.picked !== true || result.code === 'cancelled'
    this.fail(result.code, signInErrorKey(result.code), { show: !quiet })
    return result.code !== 'unsupported'
  }
}

customElements.define('passkey-input', PasskeyInputElement)

declare global {
  interface HTMLElementTagNameMap {
    'passkey-input': PasskeyInputElement
  }
}
