import { css, html, nothing, type PropertyValues } from 'lit'
import { customElement } from 'lit/decorators.js'
import { webAuthnAvailable } from './internal/authsignal.js'
import { pageCoordinator } from './internal/ceremony-coordinator.js'
import { signInError, signInText } from './internal/messages.js'
import { PasskeySigninBase } from './internal/passkey-signin-base.js'

// The package's `passkey-elements/passkey-signin-button.js` (and `passkey-elements`) export, beside the element, the
// events it fires and the types of its API.
export { PasskeyErrorEvent, PasskeySigninEvent } from './events.js'
export type { PasskeyErrorCode, PasskeyErrorDetail, PasskeySigninDetail } from './events.js'
export type { PasskeyClient, PasskeyResult, SignInValue, SignUpValue } from './internal/authsignal.js'

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
 * @summary Passkey sign-in button that submits its form with an Authsignal token.
 *
 * @attr name - Form field name the token is submitted under. Default `token`.
 * @attr tenant-id - Authsignal tenant id (required).
 * @attr api-url - Authsignal API base URL, e.g. `https://api.authsignal.com/v1` (required).
 * @attr action - Authsignal action code recorded for the sign-in. Default `signInWithPasskey`.
 * @attr form - Id of the form to submit, when the button is not inside it (standard form-associated attribute).
 *
 * @slot - Button label. Default "Sign in with a passkey".
 *
 * @csspart button - The native `<button>`.
 * @csspart status - The status region (`role="status"`) that says what is happening, in words.
 *
 * @cssprop [--passkey-button-padding=0.5em 1em] - Button padding.
 * @cssprop [--passkey-button-radius=0.375em] - Button corner radius.
 * @cssprop [--passkey-button-background=ButtonFace] - Button background.
 * @cssprop [--passkey-button-color=ButtonText] - Button text colour.
 * @cssprop [--passkey-button-border=1px solid currentColor] - Button border.
 * @cssprop [--passkey-status-color=inherit] - Status text colour.
 *
 * @cssstate pending - While the passkey prompt is open and while the form is being submitted.
 *
 * @fires {PasskeySigninEvent} passkey-signin - Sign-in succeeded; `detail.token` is the Authsignal token. Cancelable: `preventDefault()` stops the form submission. Bubbles, composed.
 * @fires {PasskeyErrorEvent} passkey-error - Sign-in failed or was cancelled; `detail.code` (`cancelled` when the user dismissed the prompt) and `detail.message`. Bubbles, composed.
 */
@customElement('passkey-signin-button')
export class PasskeySigninButtonElement extends PasskeySigninBase {
  static override shadowRootOptions = { ...PasskeySigninBase.shadowRootOptions, delegatesFocus: true }

  static override styles = css`
    :host { display: inline-block; }
    :host([hidden]) { display: none; }
    button {
      font: inherit;
      cursor: pointer;
      padding: var(--passkey-button-padding, 0.5em 1em);
      border-radius: var(--passkey-button-radius, 0.375em);
      background: var(--passkey-button-background, ButtonFace);
      color: var(--passkey-button-color, ButtonText);
      border: var(--passkey-button-border, 1px solid currentColor);
    }
    button:disabled { cursor: progress; opacity: 0.7; }
    button:focus-visible { outline: 2px solid Highlight; outline-offset: 2px; }
    [part='status'] { color: var(--passkey-status-color, inherit); margin: 0.25em 0 0; }
    [part='status']:empty { margin: 0; }
  `

  /** False when the browser has no WebAuthn: the element is then `hidden` and renders nothing. */
  readonly supported = webAuthnAvailable()

  override connectedCallback (): void {
    super.connectedCallback()
    // No WebAuthn, no passkey button: the page's other sign-in methods remain. Rendering nothing as well
    // keeps it out of sight even where the page's CSS gives the element a `display` that beats `[hidden]`.
    if (!this.supported) this.hidden = true
  }

  protected override updated (changed: PropertyValues): void {
    super.updated(changed)
    if (changed.has('pending') && !this.pending && changed.get('pending') === true && this.statusText !== '') {
      // After a failure, keyboard users are back where they were.
      this.focus()
    }
  }

  protected override render (): unknown {
    if (!this.supported) return nothing
    return html`
      <button part="button" type="button" aria-busy=${this.pending ? 'true' : 'false'} ?disabled=${this.pending} @click=${this.#onClick}>
        <slot>Sign in with a passkey</slot>
      </button>
      <p part="status" role="status">${this.statusText}</p>
    `
  }

  #onClick (): void {
    void this.signIn()
  }

  /** Runs the passkey sign-in, as a click does. Resolves when it is over (or the form is submitting). */
  async signIn (): Promise<void> {
    if (this.pending || !this.supported) return
    const client = this.client()
    if (client == null) {
      this.fail('unknown', signInText.notConfigured)
      return
    }
    this.setPending(true)
    this.statusText = signInText.waiting
    const lease = await pageCoordinator.acquire()
    let submitted = false
    try {
      const result = await client.signIn({ action: this.action })
      if (result.ok) {
        this.statusText = signInText.signingIn
        submitted = this.submitToken(result.value.token)
        if (!submitted && this.statusText === signInText.signingIn) this.statusText = ''
      } else {
        this.fail(result.code, signInError(result.code))
      }
    } finally {
      lease.release({ rearm: !submitted })
      // Stay busy while the browser submits the form and leaves the page.
      if (!submitted) this.setPending(false)
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'passkey-signin-button': PasskeySigninButtonElement
  }
}
