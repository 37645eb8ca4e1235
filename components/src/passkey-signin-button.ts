import { html, nothing, type PropertyValues } from 'lit'
import { webAuthnAvailable } from './internal/authsignal.js'
import { pageCoordinator } from './internal/ceremony-coordinator.js'
import { signInErrorKey } from './internal/messages.js'
import { PasskeySigninBase } from './internal/passkey-signin-base.js'
import { statusRegions } from './internal/status.js'
import { buttonStyles } from './internal/styles.js'

// The package's `passkey-elements/passkey-signin-button.js` (and `passkey-elements`) export, beside the element, the
// events it fires and the types of its API.
export { PasskeyErrorEvent, PasskeySigninEvent } from './events.js'
export type { PasskeyErrorCode, PasskeyErrorDetail, PasskeySigninDetail } from './events.js'
export type { PasskeyClient, PasskeyResult, SignInValue, SignUpValue } from './internal/authsignal.js'
export { setPasskeyMessages } from './internal/i18n.js'
export { PASSKEY_LANGUAGES } from './messages/types.js'
export type { PasskeyLanguage, PasskeyMessageKey, PasskeyMessages } from './messages/types.js'

/**
 * A button that signs the user in with a passkey (a modal WebAuthn prompt through Authsignal), then submits
 * its form with the resulting token. Hidden (the `hidden` attribute, and no content) when the browser has no WebAuthn.
 *
 * ```html
 * <form method="post" action="/interaction/UID/passkey">
 *   <passkey-signin-button tenant-id="TENANT" api-url="https://api.authsignal.com/v1">Sign in with a passkey</passkey-signin-button>
 * </form>
 * ```
 *
 * Form-associated: the token is submitted as an ordinary form field (`name`, default `token`) of the
 * enclosing form, or of the form named by the standard `form` attribute. Any passkey autofill on the page
 * is paused while the button's prompt is open and resumes if it fails or is cancelled.
 *
 * Its words follow the nearest `lang` (the element, its ancestors, `<html lang>`; 11 languages ship, English
 * otherwise) and a `lang` that changes; the `messages` property, or `setPasskeyMessages()` for the whole page,
 * overrides them.
 *
 * @summary Passkey sign-in button that submits its form with an Authsignal token.
 *
 * @attr name - Form field name the token is submitted under. Default `token`.
 * @attr tenant-id - Authsignal tenant id (required).
 * @attr api-url - Authsignal API base URL, e.g. `https://api.authsignal.com/v1` (required).
 * @attr action - Authsignal action code recorded for the sign-in. Default `signInWithPasskey`.
 * @attr form - Id of the form to submit, when the button is not inside it (standard form-associated attribute).
 * @attr prepared-options - Authsignal's sign-in options for this page (`{ challengeId, options }` as JSON), fetched by the server as it rendered the page. Optional: the button otherwise fetches them when it is connected, so the click opens the prompt without a request; ignored when malformed or stale.
 *
 * @slot - Button label. Default "Sign in with a passkey".
 *
 * @csspart button - The native `<button>`.
 * @csspart label - The button's label: your slotted words, or the element's own.
 * @csspart status - The two status regions that say what is happening, in words: `role="status"` (progress, success, a cancel) and `role="alert"` (errors); one is empty at a time.
 *
 * @cssprop [--passkey-font-family=inherit] - Font family of the button and the words.
 * @cssprop [--passkey-font-size=inherit] - Font size of the button and the words.
 * @cssprop [--passkey-font-weight=600] - Font weight of the button's label.
 * @cssprop [--passkey-line-height=1.25] - Line height of the button's label (it wraps on narrow screens).
 * @cssprop [--passkey-button-padding=0.625em 1.25em] - Button padding.
 * @cssprop [--passkey-button-radius=0.375em] - Button corner radius.
 * @cssprop [--passkey-button-background=light-dark(#fff, #1f2937)] - Button background (light, dark).
 * @cssprop [--passkey-button-color=light-dark(#1f2937, #f9fafb)] - Button text colour.
 * @cssprop [--passkey-button-border-width=1px] - Button border width.
 * @cssprop [--passkey-button-border-color=currentColor] - Button border colour (the button's text colour).
 * @cssprop [--passkey-button-border=var(--passkey-button-border-width) solid var(--passkey-button-border-color)] - The whole border, in one (wins over width and colour).
 * @cssprop [--passkey-button-hover-background=light-dark(#e5e7eb, #374151)] - Button background under the pointer.
 * @cssprop [--passkey-focus-ring-color=currentColor] - Focus ring colour (keyboard focus; the button's text colour).
 * @cssprop [--passkey-focus-ring-width=2px] - Focus ring width.
 * @cssprop [--passkey-focus-ring-offset=2px] - Gap between the button and its focus ring.
 * @cssprop [--passkey-gap=0.5em] - Space between the button and the words under it.
 * @cssprop [--passkey-status-color=inherit] - Colour of progress and cancel words (the page's text colour).
 * @cssprop [--passkey-status-font-size=inherit] - Font size of the words under the button.
 * @cssprop [--passkey-error-color=light-dark(#b91c1c, #fca5a5)] - Colour of error words (`role="alert"`).
 *
 * @cssstate error - While the status region says what went wrong (`role="alert"`).
 * @cssstate pending - While the passkey prompt is open and while the form is being submitted.
 *
 * @fires {PasskeySigninEvent} passkey-signin - Sign-in succeeded; `detail.token` is the Authsignal token. Cancelable: `preventDefault()` stops the form submission. Bubbles, composed.
 * @fires {PasskeyErrorEvent} passkey-error - Sign-in failed or was cancelled; `detail.code` (`cancelled` when the user dismissed the prompt) and `detail.message`. Bubbles, composed.
 */
export class PasskeySigninButtonElement extends PasskeySigninBase {
  static override shadowRootOptions = { ...PasskeySigninBase.shadowRootOptions, delegatesFocus: true }

  static override styles = buttonStyles

  /** False when the browser has no WebAuthn: the element is then `hidden` and renders nothing. */
  readonly supported = webAuthnAvailable()

  override connectedCallback (): void {
    super.connectedCallback()
    // No WebAuthn, no passkey button: the page's other sign-in methods remain. Rendering nothing as well
    // keeps it out of sight even where the page's CSS gives the element a `display` that beats `[hidden]`.
    if (!this.supported) {
      this.hidden = true
      return
    }
    // The prompt's options, ready before the click (shared with autofill, which may hold them meanwhile).
    const client = this.client()
    if (client != null) this.optionsSlot(client)?.prefetch()
  }

  protected override updated (changed: PropertyValues): void {
    super.updated(changed)
    if (changed.has('pending') && !this.pending && changed.get('pending') === true && this.status != null) {
      // After a failure, keyboard users are back where they were.
      this.focus()
    }
  }

  protected override render (): unknown {
    if (!this.supported) return nothing
    const lang = this.i18n.lang
    return html`
      <button part="button" type="button" aria-busy=${this.pending ? 'true' : 'false'} ?disabled=${this.pending} @click=${this.#onClick}>
        <span part="label"><slot lang=${lang}>${this.i18n.t('signInLabel')}</slot></span>
      </button>
      ${statusRegions(this.status == null ? '' : this.i18n.t(this.status.key), this.status?.alert === true, lang)}
    `
  }

  /** The first render waits (briefly) for the page language's words, so the label does not flash in English. */
  protected override async scheduleUpdate (): Promise<void> {
    if (!this.hasUpdated) await this.i18n.ready
    super.scheduleUpdate()
  }

  #onClick (): void {
    void this.signIn()
  }

  /** Runs the passkey sign-in, as a click does. Resolves when it is over (or the form is submitting). */
  async signIn (): Promise<void> {
    if (this.pending || !this.supported) return
    const client = this.client()
    if (client == null) {
      this.fail('unknown', 'signInNotConfigured')
      return
    }
    this.setPending(true)
    this.say('signInWaiting')
    // Autofill's attempt ends (it gives its options back), then the prompt opens with the options the page
    // holds: no request between the click and the prompt, unless they are stale, used or still on their way.
    const lease = await pageCoordinator.acquire()
    const slot = this.optionsSlot(client)
    let submitted = false
    try {
      const taken = await slot?.take()
      const result = taken != null && !taken.ok ? taken : await client.signIn({ action: this.action, prepared: taken?.value.value })
      if (result.ok) {
        this.say('signInSigningIn')
        submitted = this.submitToken(result.value.token)
        if (!submitted && this.status?.key === 'signInSigningIn') this.say(undefined)
      } else {
        // Options that never reached Authsignal serve the next attempt; used ones are replaced at once.
        if (taken?.ok === true && result.picked !== true) slot?.giveBack(taken.value)
        else slot?.prefetch()
        this.fail(result.code, signInErrorKey(result.code))
      }
    } finally {
      lease.release({ rearm: !submitted })
      // Stay busy while the browser submits the form and leaves the page.
      if (!submitted) this.setPending(false)
    }
  }
}

customElements.define('passkey-signin-button', PasskeySigninButtonElement)

declare global {
  interface HTMLElementTagNameMap {
    'passkey-signin-button': PasskeySigninButtonElement
  }
}
