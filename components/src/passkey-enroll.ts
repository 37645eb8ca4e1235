import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit'
import { PasskeyEnrolledEvent, PasskeyErrorEvent, type PasskeyErrorCode } from './events.js'
import { startRegistration } from 'virtual:authsignal-registration'
import { provideEnrollment, webAuthnAvailable, type PasskeyClient, type SignUpOptions } from './internal/authsignal.js'
import { enrollment } from './internal/authsignal-enroll.js'
import { pageCoordinator } from './internal/ceremony-coordinator.js'
import { fetchEnrollmentToken, refreshDelay, sameOriginUrl, usable, type EnrollmentGrant, type TokenFetchResult } from './internal/enrollment-token.js'
import { LanguageController, addEnglish } from './internal/i18n.js'
import { enrollErrorKey } from './internal/messages.js'
import { OptionsSlot, whenVisible } from './internal/options-slot.js'
import { OPTIONS_LIFETIME_MS, pageClient } from './internal/passkey-client-slot.js'
import { statusRegions, type Status } from './internal/status.js'
import { buttonStyles } from './internal/styles.js'
import { isHttpUrl } from './internal/urls.js'
import { enrollEnglish } from './messages/english-enroll.js'
import type { PasskeyMessageKey, PasskeyMessages } from './messages/types.js'

// The package's `passkey-elements/passkey-enroll.js` (and `passkey-elements`) export, beside the element, the
// events it fires and the types of its API.
export { PasskeyEnrolledEvent, PasskeyErrorEvent } from './events.js'
export type { PasskeyEnrolledDetail, PasskeyErrorCode, PasskeyErrorDetail } from './events.js'
export type { PasskeyClient, PasskeyResult, SignInValue, SignUpValue } from './internal/authsignal.js'
export { setPasskeyMessages } from './internal/i18n.js'
export { PASSKEY_LANGUAGES } from './messages/types.js'
export type { PasskeyLanguage, PasskeyMessageKey, PasskeyMessages } from './messages/types.js'

addEnglish(enrollEnglish)
// The built-in client's enrollment steps and the SDK's registration ceremony, which only this element needs:
// the sign-in elements' pages do not load them.
provideEnrollment(enrollment(startRegistration))

/**
 * A button that adds a passkey for the signed-in user, and says in words what happened.
 *
 * ```html
 * <passkey-enroll token-url="/passkeys/enrollment-token" tenant-id="TENANT" api-url="https://api.authsignal.com/v1"
 *                 reauthenticate-url="/login?reauth=1">Add a passkey</passkey-enroll>
 * ```
 *
 * Ahead of the click, the element POSTs (same origin, JSON `{}`) to `token-url` and expects
 * `200 { token, expiresAt }` — an Authsignal enrollment token (`add:authenticators`) and its ISO expiry —
 * then fetches the passkey's registration options from Authsignal with it. It fetches fresh ones before
 * they expire (while the page is visible) and after every attempt, so the click goes straight to the
 * browser's passkey prompt, with no request in between (`passkey.signUp({ token })`, step by step). A `401 { error: 'reauthentication_required' }`
 * answer means the sign-in is too old: the element says so and links to `reauthenticate-url`.
 * Passkey autofill elsewhere on the page pauses while the prompt is open.
 *
 * Its words follow the nearest `lang` (the element, its ancestors, `<html lang>`; 11 languages ship, English
 * otherwise) and a `lang` that changes; the `messages` property, or `setPasskeyMessages()` for the whole page,
 * overrides them.
 *
 * @summary Adds a passkey for the signed-in user.
 *
 * @attr token-url - Same-origin URL that answers POST with `{ token, expiresAt }` (required; another origin is refused).
 * @attr tenant-id - Authsignal tenant id (required).
 * @attr api-url - Authsignal API base URL, e.g. `https://api.authsignal.com/v1` (required).
 * @attr reauthenticate-url - Where the user signs in again when the app answers `reauthentication_required`.
 * @attr success-url - Where to go after a passkey was added (unless `passkey-enrolled` is prevented).
 *
 * @slot - Button label. Default "Add a passkey".
 *
 * @csspart button - The native `<button>`.
 * @csspart label - The button's label: your slotted words, or the element's own.
 * @csspart status - The two status regions that say what is happening, in words: `role="status"` (progress, success, a cancel) and `role="alert"` (errors); one is empty at a time.
 * @csspart link - The "Sign in again" link shown when the app asks for a fresh sign-in.
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
 * @cssprop [--passkey-success-color=light-dark(#15803d, #86efac)] - Colour of the words once a passkey was added.
 * @cssprop [--passkey-link-color=light-dark(#1d4ed8, #93c5fd)] - Colour of the "Sign in again" link.
 *
 * @cssstate error - While the status region says what went wrong (`role="alert"`).
 * @cssstate pending - While the passkey prompt is open (or the token is being fetched after a click).
 * @cssstate added - After a passkey was added.
 *
 * @fires {PasskeyEnrolledEvent} passkey-enrolled - A passkey was added; `detail.userAuthenticatorId`, `detail.credentialId`. Cancelable: `preventDefault()` stops the navigation to `success-url`. Bubbles, composed.
 * @fires {PasskeyErrorEvent} passkey-error - Adding failed or was cancelled; `detail.code` (`cancelled`, `already-registered`, `reauthentication-required`, `network`, `expired`, …) and `detail.message`. Bubbles, composed.
 */
export class PasskeyEnrollElement extends LitElement {
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true }

  static override styles = [buttonStyles, css`
    :host(:state(added)) [role='status'] { color: var(--passkey-success-color, light-dark(#15803d, #86efac)); }
    a { color: var(--passkey-link-color, light-dark(#1d4ed8, #93c5fd)); }
  `]

  static override properties: PropertyDeclarations = {
    tokenUrl: { attribute: 'token-url' },
    tenantId: { attribute: 'tenant-id' },
    apiUrl: { attribute: 'api-url' },
    reauthenticateUrl: { attribute: 'reauthenticate-url' },
    successUrl: { attribute: 'success-url' },
    authsignal: { attribute: false },
    messages: { attribute: false },
    pending: { state: true, attribute: false },
    status: { state: true, attribute: false },
    reauthenticate: { state: true, attribute: false },
    unsupported: { state: true, attribute: false }
  }

  /** Same-origin URL that answers POST with `{ token, expiresAt }`. */
  tokenUrl = ''

  /** Authsignal tenant id. */
  tenantId = ''

  /** Authsignal API base URL. */
  apiUrl = ''

  /** Where the user signs in again when the app answers `reauthentication_required`. */
  reauthenticateUrl = ''

  /** Where to go after a passkey was added. */
  successUrl = ''

  /** Replaces the SDK client built from `tenant-id` and `api-url` (demos, tests). */
  authsignal: PasskeyClient | undefined

  /** Overrides some of the element's words (any key of `PasskeyMessages`), whatever the language. */
  messages: Partial<PasskeyMessages> | undefined

  private pending = false
  private status: Status | undefined
  private reauthenticate = false
  private unsupported = false

  readonly #internals: ElementInternals = this.attachInternals()
  readonly #i18n = new LanguageController(this)
  #grant: EnrollmentGrant | undefined
  /** The registration options of the current token, fetched ahead of the click. */
  #options: OptionsSlot<SignUpOptions> | undefined
  #stopWatching: (() => void) | undefined
  #fetching: Promise<TokenFetchResult> | undefined
  #reported: TokenFetchResult | undefined
  #refreshTimer: ReturnType<typeof setTimeout> | undefined
  #connected = false

  override connectedCallback (): void {
    super.connectedCallback()
    this.#connected = true
    if (!webAuthnAvailable()) {
      this.unsupported = true
      this.status = { key: 'enrollUnsupported', alert: false }
      return
    }
    void this.#prefetch()
  }

  override disconnectedCallback (): void {
    super.disconnectedCallback()
    this.#connected = false
    this.#clearRefresh()
    this.#options?.clear()
    this.#stopWatching?.()
    this.#stopWatching = undefined
  }

  protected override updated (changed: PropertyValues): void {
    super.updated(changed)
    if (changed.has('pending') && !this.pending && changed.get('pending') === true) {
      // After a failure, keyboard users are back on the button; after a success, on the words that say so.
      if (this.status?.key === 'enrollAdded') this.renderRoot.querySelector<HTMLElement>('[role="status"]')?.focus()
      else this.focus()
    }
    if (changed.has('tokenUrl') && changed.get('tokenUrl') !== undefined && this.#connected && !this.unsupported) {
      this.#grant = undefined
      void this.#prefetch()
    }
  }

  protected override render (): unknown {
    const t = this.#i18n.t.bind(this.#i18n)
    const lang = this.#i18n.lang
    const link = this.reauthenticate && isHttpUrl(this.reauthenticateUrl, document.baseURI)
      ? html` <a part="link" href=${this.reauthenticateUrl}>${t('enrollReauthenticateLink')}</a>`
      : nothing
    return html`
      <button part="button" type="button" aria-busy=${this.pending ? 'true' : 'false'} ?disabled=${this.pending || this.unsupported}
              @click=${this.#onClick}><span part="label"><slot lang=${lang}>${t('enrollLabel')}</slot></span></button>
      ${statusRegions(this.status == null ? '' : t(this.status.key), this.status?.alert === true, lang, link)}
    `
  }

  /** The first render waits (briefly) for the page language's words, so the label does not flash in English. */
  protected override async scheduleUpdate (): Promise<void> {
    if (!this.hasUpdated) await this.#i18n.ready
    super.scheduleUpdate()
  }

  #onClick (): void {
    void this.enroll()
  }

  /** Adds a passkey, as a click does. Resolves when it is over. */
  async enroll (): Promise<void> {
    if (this.pending || this.unsupported) return
    const client = this.#client()
    if (client == null || this.#tokenUrl() == null) {
      this.#fail('unknown', 'enrollNotConfigured')
      return
    }
    this.#setPending(true)
    this.#setState('added', false)
    this.reauthenticate = false
    let grant = usable(this.#grant, Date.now()) ? this.#grant : undefined
    if (grant == null) {
      // The prefetched token is missing or about to expire: fetch one now (some browsers then want a second click).
      this.#say('enrollPreparing')
      grant = await this.#fetchToken({ report: true })
      if (grant == null) {
        this.#setPending(false)
        return
      }
    }
    // One token per attempt: whatever happens next, the following click uses a new one. Its registration
    // options were fetched with it (or are on their way); without them, signUp fetches them first.
    const options = grant === this.#grant ? this.#options : undefined
    this.#grant = undefined
    this.#clearRefresh()
    this.#say('enrollWaiting')
    const lease = await pageCoordinator.acquire()
    let result
    try {
      const taken = await options?.take()
      options?.clear()
      result = await client.signUp({ token: grant.token, prepared: taken?.ok === true ? taken.value.value : undefined })
    } finally {
      lease.release()
      this.#setPending(false)
    }
    if (result.ok) {
      this.#say('enrollAdded')
      this.#setState('added', true)
      const event = new PasskeyEnrolledEvent({ userAuthenticatorId: result.value.userAuthenticatorId, credentialId: result.value.credentialId })
      if (this.dispatchEvent(event) && isHttpUrl(this.successUrl, document.baseURI)) {
        window.location.assign(new URL(this.successUrl, document.baseURI).href)
        return
      }
    } else {
      this.#fail(result.code, enrollErrorKey(result.code))
    }
    void this.#prefetch()
  }

  async #prefetch (): Promise<void> {
    if (this.#tokenUrl() == null) return
    await this.#fetchToken({ report: false })
  }

  /** `token-url` resolved against the page, if it is same-origin: the token is the user's, and so are the cookies sent for it. */
  #tokenUrl (): string | undefined {
    return sameOriginUrl(this.tokenUrl, document.baseURI, window.location.origin)
  }

  /**
   * Fetches a token (one request at a time) and schedules its refresh. `report: false` (ahead of a click)
   * stays quiet about failures, except that the sign-in is too old, which the user should know before clicking.
   */
  async #fetchToken ({ report }: { report: boolean }): Promise<EnrollmentGrant | undefined> {
    this.#fetching ??= this.#requestToken().finally(() => { this.#fetching = undefined })
    const result = await this.#fetching
    if (result.ok) return result.grant
    if ((report || result.code === 'reauthentication-required') && this.#reported !== result) {
      this.#reported = result
      this.#fail(result.code, enrollErrorKey(result.code))
    }
    return undefined
  }

  async #requestToken (): Promise<TokenFetchResult> {
    this.#clearRefresh()
    const url = this.#tokenUrl()
    if (url == null) return { ok: false, code: 'unknown', reason: 'token-url is missing or not same-origin' }
    const result = await fetchEnrollmentToken(url)
    if (!this.#connected) return { ok: false, code: 'unknown', reason: 'disconnected' }
    this.#grant = result.ok ? result.grant : undefined
    if (result.ok) {
      this.#refreshTimer = setTimeout(() => { void this.#prefetch() }, refreshDelay(result.grant, Date.now()))
      this.#prepare(result.grant)
    }
    return result
  }

  #client (): PasskeyClient | undefined {
    return this.authsignal ?? pageClient(this.tenantId, this.apiUrl)
  }

  /** Fetches the registration options of this token now, and fresh ones before they go stale. */
  #prepare (grant: EnrollmentGrant): void {
    this.#options?.clear()
    this.#options = undefined
    const fetch = this.#client()?.signUpOptions
    if (fetch == null) return
    const client = this.#client() as PasskeyClient
    // Used for at most the options' lifetime, and never past the token's.
    const lifetimeMs = Math.max(1000, Math.min(OPTIONS_LIFETIME_MS, grant.expiresAt - Date.now() - 2000))
    this.#options = new OptionsSlot(async () => await fetch.call(client, { token: grant.token }), { lifetimeMs })
    this.#stopWatching?.()
    this.#stopWatching = whenVisible(this.#options)
    this.#options.prefetch()
  }

  #say (key: PasskeyMessageKey): void {
    this.status = { key, alert: false }
    this.#setState('error', false)
  }

  /** Says what went wrong (a cancel politely, anything else as an alert) and fires `passkey-error`. */
  #fail (code: PasskeyErrorCode, key: PasskeyMessageKey): void {
    const alert = code !== 'cancelled'
    this.status = { key, alert }
    this.#setState('error', alert)
    this.reauthenticate = code === 'reauthentication-required'
    this.dispatchEvent(new PasskeyErrorEvent({ code, message: this.#i18n.t(key) }))
  }

  #setPending (pending: boolean): void {
    this.pending = pending
    this.#setState('pending', pending)
  }

  #setState (name: string, on: boolean): void {
    try {
      if (on) this.#internals.states.add(name)
      else this.#internals.states.delete(name)
    } catch {
      // CustomStateSet is missing in older browsers.
    }
  }

  #clearRefresh (): void {
    if (this.#refreshTimer != null) clearTimeout(this.#refreshTimer)
    this.#refreshTimer = undefined
  }
}

customElements.define('passkey-enroll', PasskeyEnrollElement)

declare global {
  interface HTMLElementTagNameMap {
    'passkey-enroll': PasskeyEnrollElement
  }
}
