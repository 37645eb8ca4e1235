import type { PasskeyMessages } from './types.js'

/** Nederlands (je-vorm, zoals bij Apple en Google; „toegangssleutel”). */
const nl: PasskeyMessages = {
  signInLabel: 'Inloggen met een toegangssleutel',
  signInWaiting: 'Wachten op je toegangssleutel…',
  signInSigningIn: 'Je wordt ingelogd…',
  signInNotConfigured: 'Inloggen met een toegangssleutel is niet ingesteld op deze pagina.',
  signInNoForm: 'Inloggen met een toegangssleutel is niet gekoppeld aan een formulier op deze pagina.',
  signInCancelled: 'Inloggen met toegangssleutel geannuleerd.',
  signInNotAllowed: 'Die toegangssleutel is niet geaccepteerd. Probeer het opnieuw of log in met je wachtwoord.',
  signInAlreadyRegistered: 'Inloggen met een toegangssleutel is niet gelukt. Probeer het opnieuw of log in met je wachtwoord.',
  signInNetwork: 'De inlogservice is niet bereikbaar. Controleer je verbinding en probeer het opnieuw.',
  signInExpired: 'Het verzoek voor de toegangssleutel is verlopen. Probeer het opnieuw.',
  signInReauthenticationRequired: 'Log opnieuw in.',
  signInUnsupported: 'Deze browser kan hier geen toegangssleutels gebruiken.',
  signInUnknown: 'Inloggen met een toegangssleutel is niet gelukt. Probeer het opnieuw of log in met je wachtwoord.',
  enrollLabel: 'Toegangssleutel toevoegen',
  enrollPreparing: 'Even geduld…',
  enrollWaiting: 'Volg de instructies van je browser om een toegangssleutel te maken…',
  enrollAdded: 'Toegangssleutel toegevoegd.',
  enrollReauthenticateLink: 'Opnieuw inloggen',
  enrollNotConfigured: 'Toegangssleutels toevoegen is niet ingesteld op deze pagina.',
  enrollCancelled: 'Er is geen toegangssleutel toegevoegd.',
  enrollNotAllowed: 'De toegangssleutel kon niet worden toegevoegd. Probeer het opnieuw.',
  enrollAlreadyRegistered: 'Dit apparaat heeft al een toegangssleutel voor je account.',
  enrollNetwork: 'De server is niet bereikbaar. Controleer je verbinding en probeer het opnieuw.',
  enrollExpired: 'Het verzoek is verlopen. Probeer het opnieuw.',
  enrollReauthenticationRequired: 'Log voor je veiligheid opnieuw in voordat je een toegangssleutel toevoegt.',
  enrollUnsupported: 'Deze browser kan geen toegangssleutels maken.',
  enrollUnknown: 'Het toevoegen van de toegangssleutel is niet gelukt. Probeer het opnieuw.'
}

export default nl
