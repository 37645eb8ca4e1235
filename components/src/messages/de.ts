import type { PasskeyMessages } from './types.js'

/** Deutsch (Sie-Form, wie in Anmeldedialogen üblich). */
const de: PasskeyMessages = {
  signInLabel: 'Mit Passkey anmelden',
  signInWaiting: 'Warten auf Ihren Passkey…',
  signInSigningIn: 'Sie werden angemeldet…',
  signInNotConfigured: 'Die Anmeldung mit Passkey ist auf dieser Seite nicht eingerichtet.',
  signInNoForm: 'Die Anmeldung mit Passkey ist mit keinem Formular auf dieser Seite verbunden.',
  signInCancelled: 'Anmeldung mit Passkey abgebrochen.',
  signInNotAllowed: 'Dieser Passkey wurde nicht akzeptiert. Versuchen Sie es erneut oder melden Sie sich mit Ihrem Passwort an.',
  signInAlreadyRegistered: 'Die Anmeldung mit Passkey hat nicht funktioniert. Versuchen Sie es erneut oder melden Sie sich mit Ihrem Passwort an.',
  signInNetwork: 'Der Anmeldedienst ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  signInExpired: 'Die Passkey-Anfrage ist abgelaufen. Bitte versuchen Sie es erneut.',
  signInReauthenticationRequired: 'Bitte melden Sie sich erneut an.',
  signInUnsupported: 'Dieser Browser kann hier keine Passkeys verwenden.',
  signInUnknown: 'Die Anmeldung mit Passkey hat nicht funktioniert. Versuchen Sie es erneut oder melden Sie sich mit Ihrem Passwort an.',
  enrollLabel: 'Passkey hinzufügen',
  enrollPreparing: 'Wird vorbereitet…',
  enrollWaiting: 'Folgen Sie den Anweisungen Ihres Browsers, um einen Passkey zu erstellen…',
  enrollAdded: 'Passkey hinzugefügt.',
  enrollReauthenticateLink: 'Erneut anmelden',
  enrollNotConfigured: 'Das Hinzufügen von Passkeys ist auf dieser Seite nicht eingerichtet.',
  enrollCancelled: 'Es wurde kein Passkey hinzugefügt.',
  enrollNotAllowed: 'Der Passkey konnte nicht hinzugefügt werden. Bitte versuchen Sie es erneut.',
  enrollAlreadyRegistered: 'Auf diesem Gerät gibt es bereits einen Passkey für Ihr Konto.',
  enrollNetwork: 'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  enrollExpired: 'Die Anfrage ist abgelaufen. Bitte versuchen Sie es erneut.',
  enrollReauthenticationRequired: 'Bitte melden Sie sich zu Ihrer Sicherheit erneut an, bevor Sie einen Passkey hinzufügen.',
  enrollUnsupported: 'Dieser Browser kann keine Passkeys erstellen.',
  enrollUnknown: 'Das Hinzufügen des Passkeys hat nicht funktioniert. Bitte versuchen Sie es erneut.'
}

export default de
