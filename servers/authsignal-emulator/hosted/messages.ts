// Every word of the hosted page, by key: the screens, the error pages, and what hosted.js writes into
// the status region. English is the source; every other language (translations.ts) must have every key
// (the type says so, and test/hosted-i18n.test.ts checks the catalogues). Placeholders in braces are
// filled by the server: {rp} the relying party's name, {host} the return address's host, {duration} the
// links' lifetime, {origin} a refused return origin, {destination} a masked email address or phone number.
// Nothing here repeats a token or an internal error message.
import type { HostedErrorKind } from './entry.js'
import type { Language } from './i18n.js'
import { TRANSLATIONS } from './translations.js'

export { DEFAULT_LANGUAGE, LANGUAGES, languageOf, negotiateLanguage, preferredRanges, type Language } from './i18n.js'
export { TRANSLATIONS } from './translations.js'

export const MESSAGES = {
  // Every page.
  footer: 'Local Authsignal emulator · development only',

  // The challenge page: its screens, in the order the template renders them.
  noScript: 'This page needs JavaScript to use a passkey or check a code. Turn it on and reload, or cancel below.',
  chooseTitle: 'Set up two-step verification',
  chooseLead: 'Choose how you will confirm it\'s you when you sign in to {rp}.',
  optionPasskey: 'Passkey',
  optionPasskeyText: 'Use your fingerprint, face, screen lock or a security key. Nothing to type.',
  optionApp: 'Authenticator app',
  optionAppText: 'Type a 6-digit code from an app such as Google Authenticator, Microsoft Authenticator or 1Password.',
  chooseNoPasskeys: 'This browser cannot create passkeys, so only the authenticator app is offered.',
  passkeyEnrollTitle: 'Create a passkey',
  passkeyEnrollLead: 'Your browser will ask you to confirm with your fingerprint, face, screen lock or security key. The passkey stays on your device; {rp} only keeps its public key.',
  passkeyEnrollButton: 'Create a passkey',
  chooseAnother: 'Choose another method',
  totpEnrollTitle: 'Set up your authenticator app',
  totpScan: 'Scan this QR code with your authenticator app.',
  totpQrAlt: 'QR code to add {rp} to your authenticator app',
  totpKeyLabel: 'Can\'t scan it? Enter this setup key in the app instead:',
  totpCopyKey: 'Copy key',
  totpShowLink: 'Show the setup link',
  totpOpenLink: 'Open the link in an authenticator app on this device',
  totpEnrollCodeLabel: 'Enter the 6-digit code the app shows',
  verifyCode: 'Verify code',
  passkeyChallengeTitle: 'Confirm it\'s you',
  passkeyChallengeLead: 'Use your passkey for {rp}. Your browser will ask for your fingerprint, face, screen lock or security key.',
  passkeyChallengeButton: 'Use my passkey',
  switchToPasskey: 'Use my passkey instead',
  switchToApp: 'Use my authenticator app instead',
  switchToEmail: 'Email me a code instead',
  switchToSms: 'Text me a code instead',
  totpChallengeTitle: 'Enter your code',
  totpChallengeLead: 'Open your authenticator app and enter the 6-digit code it shows for {rp}.',
  codeLabel: '6-digit code',
  emailTitle: 'Check your email',
  emailLead: 'A 6-digit code is sent by email to {destination} when this screen opens. Enter it to confirm it\'s you.',
  smsTitle: 'Check your phone',
  smsLead: 'A 6-digit code is sent by text message to {destination} when this screen opens. Enter it to confirm it\'s you.',
  sendNewCode: 'Send a new code',
  unavailableTitle: 'Not available here',
  unavailableLead: 'Your account is protected with a passkey, and passkeys for {rp} cannot be used on this page. Return to {host} and sign in with your passkey there.',
  alreadyVerifiedTitle: 'Already verified',
  verifiedTitle: 'You are verified',
  doneLead: 'Continue to {host} to finish signing in.',
  continueTo: 'Continue to {host}',
  failedTitle: 'Too many attempts',
  failedLead: 'This sign-in can no longer be verified. Return to {host} and start again.',
  returnTo: 'Return to {host}',
  expiredTitle: 'This sign-in has expired',
  expiredLead: 'Sign-in links last {duration}. Go back to {host} and sign in again.',
  cancel: 'Cancel and return to {host}',

  // The error pages (errorContent below), and their way on.
  backToVerification: 'Back to verification',
  closePage: 'You can close this page.',
  errorStartAgain: 'Go back to the site you came from and sign in again.',
  expiredTokenTitle: 'This link has expired',
  expiredTokenText: 'Sign-in links last {duration}.',
  invalidTokenTitle: 'This link is not valid',
  invalidTokenText: 'The sign-in link is damaged or was not issued by this service.',
  cannotContinueTitle: 'This sign-in cannot continue',
  redirectMissingText: 'It was started without a return address (redirectUrl), so there is nowhere to send you afterwards.',
  redirectMalformedText: 'Its return address (redirectUrl) is not a valid http or https address, so you will not be sent there.',
  redirectNotAllowedText: 'Its return address is not one of the origins this service is configured to return to, so you will not be sent there.',
  redirectNotAllowedOnText: 'Its return address (on {origin}) is not one of the origins this service is configured to return to, so you will not be sent there.',
  redirectNotAllowedHint: 'If you run this site, add the origin to the expected origins.',
  actionClosedTitle: 'This sign-in cannot be completed',
  actionClosedText: 'It was blocked or failed too many times.',
  actionClosedReturnText: 'It was blocked or failed too many times. Return to {host} and start again.',
  notVerifiedTitle: 'Not verified yet',
  notVerifiedText: 'This sign-in has not been confirmed yet. Go back to the verification page to finish it.',
  crossSiteTitle: 'Request refused',
  crossSiteText: 'This form can only be sent from the verification page itself.',
  enrollNotAllowedTitle: 'Setup not allowed here',
  enrollNotAllowedText: 'This sign-in cannot add an authenticator to the account: the account already has one. Sign in with it first, then add another from your settings.',
  notFoundTitle: 'Page not found',
  notFoundText: 'There is nothing at this address.',
  badRequestTitle: 'This request is not valid',
  badRequestText: 'The link or form is incomplete or malformed.',
  unexpectedTitle: 'Something went wrong',
  unexpectedText: 'The verification page ran into a problem. Try again in a moment.',

  // hosted.js: the status region and the code fields' errors (SCRIPT_KEYS).
  sendingCode: 'Sending a code…',
  sendingNewCode: 'Sending a new code…',
  codeSentEmail: 'A code is on its way to your email.',
  codeSentSms: 'A code is on its way to your phone.',
  enterEmailCode: 'Enter the 6-digit code we sent to your email.',
  enterSmsCode: 'Enter the 6-digit code we sent to your phone.',
  enterAppCode: 'Enter the 6-digit code from your authenticator app.',
  checkingCode: 'Checking the code…',
  codeAccepted: 'Code accepted. Returning you to {host}…',
  otpCodeWrong: 'That code is not correct or has expired. Enter the newest code we sent, or send a new one.',
  appCodeWrong: 'That code is not correct. Codes change every 30 seconds: enter the one your app shows now.',
  unreachable: 'The sign-in service could not be reached. Check your connection and try again.',
  somethingWrong: 'Something went wrong. Try again, or cancel and return to {host}.',
  passkeyClosed: 'The passkey request was closed or timed out. Try again when you are ready.',
  passkeyExists: 'This device already has a passkey for this account. Cancel, then sign in with it.',
  passkeyInsecure: 'Passkeys cannot be used on this address.',
  passkeyFailed: 'The passkey did not work. Try again, or cancel and return to {host}.',
  passkeyPromptCreate: 'Follow your browser\'s prompt to create the passkey…',
  passkeyPromptUse: 'Follow your browser\'s prompt to use your passkey…',
  passkeyCreated: 'Passkey created. Returning you to {host}…',
  passkeyAccepted: 'Passkey accepted. Returning you to {host}…',
  creatingKey: 'Creating your setup key…',
  keyReady: 'Your setup key is ready. Add it to your app, then enter the code the app shows.',
  keyCopied: 'Setup key copied.',
  copyFailed: 'Could not copy. Select the key and copy it yourself.',
  toolsFailed: 'This page could not load its verification tools. Reload the page to try again.',
  noPasskeysHere: 'This browser cannot use passkeys. Use another browser or device, or cancel.'
} as const satisfies Record<string, string>

export type MessageKey = keyof typeof MESSAGES
export type Messages = Record<MessageKey, string>

/** The words hosted.js writes; the page hands them to it, placeholders filled, in `data-messages`. */
export const SCRIPT_KEYS = [
  'sendingCode', 'sendingNewCode', 'codeSentEmail', 'codeSentSms', 'enterEmailCode', 'enterSmsCode', 'enterAppCode',
  'checkingCode', 'codeAccepted', 'otpCodeWrong', 'appCodeWrong', 'unreachable', 'somethingWrong', 'passkeyClosed',
  'passkeyExists', 'passkeyInsecure', 'passkeyFailed', 'passkeyPromptCreate', 'passkeyPromptUse', 'passkeyCreated',
  'passkeyAccepted', 'creatingKey', 'keyReady', 'keyCopied', 'copyFailed', 'toolsFailed', 'noPasskeysHere'
] as const satisfies readonly MessageKey[]

export function messagesFor (language: Language): Messages {
  return language === 'en' ? MESSAGES : TRANSLATIONS[language]
}

export type Values = Readonly<Record<string, string | undefined>>

/** A message with its placeholders filled; a placeholder without a value stays as written. */
export function format (template: string, values: Values = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole)
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' }
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, c => HTML_ESCAPES[c] ?? c)

/**
 * A message as HTML: every part escaped, and the values in `strong` (the rest of `values`, plain) in
 * `<strong>`, wherever the language puts them in the sentence.
 */
export function formatHtml (template: string, strong: Values, values: Values = {}): string {
  return template.split(/(\{\w+\})/).map(part => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1]
    if (name == null) return escapeHtml(part)
    const emphasised = strong[name]
    if (emphasised != null) return `<strong>${escapeHtml(emphasised)}</strong>`
    return escapeHtml(values[name] ?? part)
  }).join('')
}

/** A lifetime in words, in the page's language: `10 minutes`, `10 Minuten`, `10 分`, `10 minut`. */
export function durationText (seconds: number, language: Language = 'en'): string {
  const [value, unit] = seconds % 60 === 0 ? [seconds / 60, 'minute'] : [seconds, 'second']
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(value)
}

export interface ErrorContent { title: string, paragraphs: string[] }

/** What the page says when it cannot go on: a title and a few sentences per refusal, in words a user can act on. */
export function errorContent (kind: HostedErrorKind, facts: { ttlSeconds: number, origin?: string, returnHost?: string }, language: Language = 'en'): ErrorContent {
  const m = messagesFor(language)
  const startAgain = m.errorStartAgain
  switch (kind) {
    case 'expired-token':
      return { title: m.expiredTokenTitle, paragraphs: [format(m.expiredTokenText, { duration: durationText(facts.ttlSeconds, language) }), startAgain] }
    case 'invalid-token':
      return { title: m.invalidTokenTitle, paragraphs: [m.invalidTokenText, startAgain] }
    case 'redirect-missing':
      return { title: m.cannotContinueTitle, paragraphs: [m.redirectMissingText, startAgain] }
    case 'redirect-malformed':
      return { title: m.cannotContinueTitle, paragraphs: [m.redirectMalformedText, startAgain] }
    case 'redirect-not-allowed':
      return {
        title: m.cannotContinueTitle,
        paragraphs: [facts.origin != null ? format(m.redirectNotAllowedOnText, { origin: facts.origin }) : m.redirectNotAllowedText, m.redirectNotAllowedHint]
      }
    case 'action-closed':
      return {
        title: m.actionClosedTitle,
        paragraphs: [facts.returnHost != null ? format(m.actionClosedReturnText, { host: facts.returnHost }) : m.actionClosedText]
      }
    case 'not-verified':
      return { title: m.notVerifiedTitle, paragraphs: [m.notVerifiedText] }
    case 'cross-site':
      return { title: m.crossSiteTitle, paragraphs: [m.crossSiteText, startAgain] }
    case 'enroll-not-allowed':
      return { title: m.enrollNotAllowedTitle, paragraphs: [m.enrollNotAllowedText] }
    case 'not-found':
      return { title: m.notFoundTitle, paragraphs: [m.notFoundText] }
    case 'bad-request':
      return { title: m.badRequestTitle, paragraphs: [m.badRequestText, startAgain] }
    case 'unexpected':
      return { title: m.unexpectedTitle, paragraphs: [m.unexpectedText] }
  }
}
