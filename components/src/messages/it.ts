import type { PasskeyMessages } from './types.js'

/** Italiano (forma con il «tu», come nelle interfacce di Apple e Google; «passkey», femminile). */
const it: PasskeyMessages = {
  signInLabel: 'Accedi con una passkey',
  signInWaiting: 'In attesa della tua passkey…',
  signInSigningIn: 'Accesso in corso…',
  signInNotConfigured: 'L’accesso con passkey non è configurato in questa pagina.',
  signInNoForm: 'L’accesso con passkey non è collegato a nessun modulo di questa pagina.',
  signInCancelled: 'Accesso con passkey annullato.',
  signInNotAllowed: 'La passkey non è stata accettata. Riprova o accedi con la tua password.',
  signInAlreadyRegistered: 'Non è stato possibile accedere con la passkey. Riprova o accedi con la tua password.',
  signInNetwork: 'Impossibile raggiungere il servizio di accesso. Controlla la connessione e riprova.',
  signInExpired: 'La richiesta della passkey è scaduta. Riprova.',
  signInReauthenticationRequired: 'Accedi di nuovo.',
  signInUnsupported: 'Questo browser non può usare le passkey qui.',
  signInUnknown: 'Non è stato possibile accedere con la passkey. Riprova o accedi con la tua password.',
  enrollLabel: 'Aggiungi una passkey',
  enrollPreparing: 'Preparazione in corso…',
  enrollWaiting: 'Segui le istruzioni del browser per creare una passkey…',
  enrollAdded: 'Passkey aggiunta.',
  enrollReauthenticateLink: 'Accedi di nuovo',
  enrollNotConfigured: 'L’aggiunta di passkey non è configurata in questa pagina.',
  enrollCancelled: 'Nessuna passkey è stata aggiunta.',
  enrollNotAllowed: 'Impossibile aggiungere la passkey. Riprova.',
  enrollAlreadyRegistered: 'Questo dispositivo ha già una passkey per il tuo account.',
  enrollNetwork: 'Impossibile raggiungere il server. Controlla la connessione e riprova.',
  enrollExpired: 'La richiesta è scaduta. Riprova.',
  enrollReauthenticationRequired: 'Per la tua sicurezza, accedi di nuovo prima di aggiungere una passkey.',
  enrollUnsupported: 'Questo browser non può creare passkey.',
  enrollUnknown: 'Non è stato possibile aggiungere la passkey. Riprova.'
}

export default it
