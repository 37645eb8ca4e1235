import type { PasskeyMessages } from './types.js'

/** Polski (tryb rozkazujący, bez form zależnych od płci; „klucz dostępu”). */
const pl: PasskeyMessages = {
  signInLabel: 'Zaloguj się kluczem dostępu',
  signInWaiting: 'Oczekiwanie na klucz dostępu…',
  signInSigningIn: 'Logowanie…',
  signInNotConfigured: 'Logowanie kluczem dostępu nie jest skonfigurowane na tej stronie.',
  signInNoForm: 'Logowanie kluczem dostępu nie jest powiązane z żadnym formularzem na tej stronie.',
  signInCancelled: 'Anulowano logowanie kluczem dostępu.',
  signInNotAllowed: 'Ten klucz dostępu nie został zaakceptowany. Spróbuj ponownie lub zaloguj się hasłem.',
  signInAlreadyRegistered: 'Nie udało się zalogować kluczem dostępu. Spróbuj ponownie lub zaloguj się hasłem.',
  signInNetwork: 'Nie można połączyć się z usługą logowania. Sprawdź połączenie i spróbuj ponownie.',
  signInExpired: 'Żądanie klucza dostępu wygasło. Spróbuj ponownie.',
  signInReauthenticationRequired: 'Zaloguj się ponownie.',
  signInUnsupported: 'Ta przeglądarka nie może tu używać kluczy dostępu.',
  signInUnknown: 'Nie udało się zalogować kluczem dostępu. Spróbuj ponownie lub zaloguj się hasłem.',
  enrollLabel: 'Dodaj klucz dostępu',
  enrollPreparing: 'Przygotowywanie…',
  enrollWaiting: 'Postępuj zgodnie z instrukcjami przeglądarki, aby utworzyć klucz dostępu…',
  enrollAdded: 'Dodano klucz dostępu.',
  enrollReauthenticateLink: 'Zaloguj się ponownie',
  enrollNotConfigured: 'Dodawanie kluczy dostępu nie jest skonfigurowane na tej stronie.',
  enrollCancelled: 'Nie dodano klucza dostępu.',
  enrollNotAllowed: 'Nie można dodać klucza dostępu. Spróbuj ponownie.',
  enrollAlreadyRegistered: 'To urządzenie ma już klucz dostępu do Twojego konta.',
  enrollNetwork: 'Nie można połączyć się z serwerem. Sprawdź połączenie i spróbuj ponownie.',
  enrollExpired: 'Żądanie wygasło. Spróbuj ponownie.',
  enrollReauthenticationRequired: 'Ze względów bezpieczeństwa zaloguj się ponownie, zanim dodasz klucz dostępu.',
  enrollUnsupported: 'Ta przeglądarka nie może tworzyć kluczy dostępu.',
  enrollUnknown: 'Nie udało się dodać klucza dostępu. Spróbuj ponownie.'
}

export default pl
