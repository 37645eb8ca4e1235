// Behaviour of the hosted challenge page. Every ceremony goes through the Authsignal browser SDK
// (loaded just before this file as the global `authsignal`) against this server's Client API, so the
// page has no WebAuthn or TOTP logic of its own. The server rendered every screen; this script only
// shows one at a time, runs the ceremonies, says what happens in the status region, and hands the
// resulting token to the server (POST /challenge/complete), which sends the browser back. Its words come
// from the server in the page's language (`data-messages` on the root: JSON, placeholders filled), so the
// script holds none of its own and needs no inline script.
'use strict'

;(function hostedChallengePage () {
  const root = document.getElementById('hosted')
  if (root == null) return
  const { tenantId, apiUrl, token, qrUrl, initial } = root.dataset
  const words = readWords()
  const status = document.getElementById('status')
  const cancelForm = document.getElementById('cancel-form')
  const completeForm = document.getElementById('complete-form')
  const screens = new Map(Array.from(root.querySelectorAll('[data-screen]'), section => [section.dataset.screen, section]))
  const webauthn = typeof window.PublicKeyCredential === 'function' && navigator.credentials != null
  /** Screens after which there is nothing left to cancel. */
  const FINAL = new Set(['done', 'failed', 'expired'])

  function readWords () {
    try {
      const parsed = JSON.parse(root.dataset.messages ?? '{}')
      return parsed != null && typeof parsed === 'object' ? parsed : {}
    } catch {
      return {}
    }
  }

  /** A sentence in the page's language, by its key in hosted/messages.ts (SCRIPT_KEYS). */
  function word (key) {
    return typeof words[key] === 'string' ? words[key] : ''
  }

  let client = null
  try {
    client = new window.authsignal.Authsignal({ tenantId, baseUrl: apiUrl })
    client.setToken(token)
  } catch {
    client = null
  }

  let current = initial
  let busySection = null
  let enrollment = null
  /** Code screens and the SDK namespace that sends and checks their codes. */
  const OTP_SCREENS = { 'email-otp-challenge': 'email', 'sms-challenge': 'sms' }
  const codeSent = new Set()
  /** The documented reason for the last allowed attempt, and the emulator's former one. */
  const TOO_MANY = new Set(['MAX_ATTEMPTS_EXCEEDED', 'CHALLENGE_FAILED'])

  /**
   * States progress and errors in the status region. `quiet` keeps the region for screen readers only,
   * when the same words are already shown next to the field they are about.
   */
  function say (text, tone, { quiet = false } = {}) {
    status.textContent = text
    status.classList.toggle('is-error', tone === 'error')
    status.classList.toggle('is-success', tone === 'success')
    status.classList.toggle('visually-hidden', quiet)
  }

  function clearFieldErrors () {
    for (const input of root.querySelectorAll('input[aria-invalid]')) input.removeAttribute('aria-invalid')
    for (const error of root.querySelectorAll('.field-error')) error.textContent = ''
  }

  function show (name, { focus = true } = {}) {
    current = name
    for (const [key, section] of screens) section.hidden = key !== name
    cancelForm.hidden = FINAL.has(name)
    clearFieldErrors()
    say('')
    if (focus) screens.get(name)?.querySelector('h1')?.focus()
    if (name === 'totp-enroll') void startTotpEnrollment()
    // A code screen sends its code the first time it opens; "Send a new code" sends another.
    if (OTP_SCREENS[name] != null && !codeSent.has(name) && client != null) {
      codeSent.add(name)
      void guarded(() => sendCode(OTP_SCREENS[name], false))
    }
  }

  async function sendCode (kind, again) {
    say(word(again ? 'sendingNewCode' : 'sendingCode'))
    let result
    try {
      result = await client[kind].challenge()
    } catch (error) {
      return ceremonyFailed(error, 'verify')
    }
    if (typeof result?.data?.challengeId === 'string') {
      return say(word(kind === 'email' ? 'codeSentEmail' : 'codeSentSms'))
    }
    apiFailed(result)
  }

  async function verifyOtp (form, kind) {
    const input = form.elements.code
    const code = input.value.replace(/\s+/g, '')
    if (!/^\d{6}$/.test(code)) return codeRefused(input, word(kind === 'email' ? 'enterEmailCode' : 'enterSmsCode'))
    clearFieldErrors()
    say(word('checkingCode'))
    let result
    try {
      result = await client[kind].verify({ code })
    } catch (error) {
      return ceremonyFailed(error, 'verify')
    }
    const data = result?.data
    if (data?.isVerified === true && data.token != null) return finish(data.token, 'codeAccepted')
    if (TOO_MANY.has(data?.failureReason)) return show('failed')
    if (data != null && data.isVerified === false) {
      return codeRefused(input, word('otpCodeWrong'))
    }
    apiFailed(result)
  }

  /**
   * Marks the screen busy while a ceremony runs. Its buttons stay enabled, so focus stays where it
   * is, but announce themselves as unavailable and do nothing until the ceremony ends.
   */
  function setBusy (section, on) {
    section.setAttribute('aria-busy', String(on))
    for (const button of section.querySelectorAll('button:not([data-unavailable])')) {
      if (on) button.setAttribute('aria-disabled', 'true')
      else button.removeAttribute('aria-disabled')
    }
  }

  /** `done`: the key of the sentence that says what succeeded and that the user is on the way back. */
  function finish (resultToken, done) {
    completeForm.elements.token.value = resultToken
    show('done')
    say(word(done), 'success')
    completeForm.requestSubmit()
  }

  /** Errors the Client API answered with (the SDK returns them rather than throwing). */
  function apiFailed (result) {
    const code = result?.errorCode ?? result?.error
    if (code === 'challenge_failed') return show('failed')
    if (code === 'expired_token') return show('expired')
    if (code === 'network_error' || code === 'too_many_requests') {
      return say(word('unreachable'), 'error')
    }
    say(word('somethingWrong'), 'error')
  }

  /** Exceptions: the browser's WebAuthn errors (SimpleWebAuthn keeps their name), or a failed fetch. */
  function ceremonyFailed (error, kind) {
    const name = error?.name
    if (name === 'NotAllowedError' || name === 'AbortError') {
      return say(word('passkeyClosed'), 'error')
    }
    if (name === 'InvalidStateError' && kind === 'enroll') {
      return say(word('passkeyExists'), 'error')
    }
    if (name === 'SecurityError') return say(word('passkeyInsecure'), 'error')
    if (name === 'TypeError') return say(word('unreachable'), 'error')
    say(word('passkeyFailed'), 'error')
  }

  async function passkey (kind) {
    say(word(kind === 'enroll' ? 'passkeyPromptCreate' : 'passkeyPromptUse'))
    let result
    try {
      result = kind === 'enroll' ? await client.passkey.signUp({ token }) : await client.passkey.signIn({ token })
    } catch (error) {
      return ceremonyFailed(error, kind)
    }
    const data = result?.data
    if (data?.token != null && (kind === 'enroll' || data.isVerified === true)) {
      return finish(data.token, kind === 'enroll' ? 'passkeyCreated' : 'passkeyAccepted')
    }
    apiFailed(result)
  }

  function startTotpEnrollment () {
    enrollment ??= enrollTotp().then(ok => { if (!ok) enrollment = null })
    return enrollment
  }

  async function enrollTotp () {
    const setup = document.getElementById('totp-setup')
    say(word('creatingKey'))
    let result
    try {
      result = await client.totp.enroll()
    } catch (error) {
      ceremonyFailed(error, 'enroll')
      return false
    }
    const data = result?.data
    if (typeof data?.secret !== 'string' || typeof data.uri !== 'string') {
      apiFailed(result)
      return false
    }
    const secret = document.getElementById('totp-secret')
    // Groups of four are easier to read; spans keep a copied selection free of spaces.
    secret.replaceChildren(...(data.secret.match(/.{1,4}/g) ?? []).map(group => {
      const span = document.createElement('span')
      span.textContent = group
      return span
    }))
    document.getElementById('totp-uri').textContent = data.uri
    document.getElementById('totp-uri-link').href = data.uri
    const qr = document.getElementById('totp-qr')
    qr.addEventListener('load', () => {
      qr.hidden = false
      document.getElementById('totp-qr-placeholder').hidden = true
    }, { once: true })
    qr.src = `${qrUrl}?token=${encodeURIComponent(token)}&v=${Date.now()}`
    document.getElementById('totp-copy').hidden = navigator.clipboard == null
    setup.setAttribute('aria-busy', 'false')
    say(word('keyReady'))
    return true
  }

  async function verifyCode (form) {
    const input = form.elements.code
    const code = input.value.replace(/\s+/g, '')
    if (!/^\d{6}$/.test(code)) return codeRefused(input, word('enterAppCode'))
    clearFieldErrors()
    say(word('checkingCode'))
    let result
    try {
      result = await client.totp.verify({ code })
    } catch (error) {
      return ceremonyFailed(error, 'verify')
    }
    const data = result?.data
    if (data?.isVerified === true && data.token != null) return finish(data.token, 'codeAccepted')
    if (TOO_MANY.has(data?.failureReason)) return show('failed')
    if (data != null && data.isVerified === false) {
      return codeRefused(input, word('appCodeWrong'))
    }
    apiFailed(result)
  }

  function codeRefused (input, message) {
    input.setAttribute('aria-invalid', 'true')
    document.getElementById(input.getAttribute('aria-describedby')).textContent = message
    say(message, 'error', { quiet: true })
    input.focus()
    input.select()
  }

  async function copySecret () {
    const secret = document.getElementById('totp-secret').textContent ?? ''
    try {
      await navigator.clipboard.writeText(secret)
      say(word('keyCopied'))
    } catch {
      say(word('copyFailed'), 'error')
    }
  }

  const runners = {
    'passkey-enroll': () => passkey('enroll'),
    'passkey-challenge': () => passkey('challenge'),
    'copy-secret': copySecret,
    'resend-email': () => sendCode('email', true),
    'resend-sms': () => sendCode('sms', true)
  }

  async function guarded (task) {
    if (busySection != null) return
    const section = screens.get(current)
    busySection = section
    setBusy(section, true)
    try {
      await task()
    } finally {
      setBusy(section, false)
      busySection = null
    }
  }

  root.addEventListener('click', event => {
    const target = event.target instanceof Element ? event.target.closest('button') : null
    if (target == null || target.getAttribute('aria-disabled') === 'true') return
    if (target.dataset.goto != null) return show(target.dataset.goto)
    const run = runners[target.dataset.run]
    if (run != null) void guarded(run)
  })

  root.addEventListener('submit', event => {
    const form = event.target
    if (!(form instanceof HTMLFormElement)) return
    if (form.hasAttribute('data-totp')) {
      event.preventDefault()
      void guarded(() => verifyCode(form))
    } else if (form.dataset.otp === 'email' || form.dataset.otp === 'sms') {
      event.preventDefault()
      void guarded(() => verifyOtp(form, form.dataset.otp))
    }
  })

  root.addEventListener('input', event => {
    if (event.target instanceof HTMLInputElement && event.target.hasAttribute('aria-invalid')) clearFieldErrors()
  })

  show(initial, { focus: false })
  if (client == null) {
    say(word('toolsFailed'), 'error')
    return
  }
  if (!webauthn) {
    document.getElementById('no-webauthn-choose')?.removeAttribute('hidden')
    document.getElementById('choose-passkey')?.closest('li')?.setAttribute('hidden', '')
    for (const button of root.querySelectorAll('[data-run^="passkey"], [data-goto="passkey-challenge"]')) {
      button.setAttribute('aria-disabled', 'true')
      button.setAttribute('data-unavailable', '')
    }
    if (initial === 'passkey-challenge') say(word('noPasskeysHere'), 'error')
  }
})()
