import type { PasskeyMessages } from './types.js'

/** Français (vouvoiement ; « clé d’accès », le terme d’Apple et de Google). */
const fr: PasskeyMessages = {
  signInLabel: 'Se connecter avec une clé d’accès',
  signInWaiting: 'En attente de votre clé d’accès…',
  signInSigningIn: 'Connexion en cours…',
  signInNotConfigured: 'La connexion par clé d’accès n’est pas configurée sur cette page.',
  signInNoForm: 'La connexion par clé d’accès n’est reliée à aucun formulaire de cette page.',
  signInCancelled: 'Connexion par clé d’accès annulée.',
  signInNotAllowed: 'Cette clé d’accès n’a pas été acceptée. Réessayez ou connectez-vous avec votre mot de passe.',
  signInAlreadyRegistered: 'La connexion par clé d’accès n’a pas abouti. Réessayez ou connectez-vous avec votre mot de passe.',
  signInNetwork: 'Impossible de joindre le service de connexion. Vérifiez votre connexion, puis réessayez.',
  signInExpired: 'La demande de clé d’accès a expiré. Veuillez réessayer.',
  signInReauthenticationRequired: 'Veuillez vous reconnecter.',
  signInUnsupported: 'Ce navigateur ne peut pas utiliser de clé d’accès ici.',
  signInUnknown: 'La connexion par clé d’accès n’a pas abouti. Réessayez ou connectez-vous avec votre mot de passe.',
  enrollLabel: 'Ajouter une clé d’accès',
  enrollPreparing: 'Préparation…',
  enrollWaiting: 'Suivez les instructions de votre navigateur pour créer une clé d’accès…',
  enrollAdded: 'Clé d’accès ajoutée.',
  enrollReauthenticateLink: 'Se reconnecter',
  enrollNotConfigured: 'L’ajout de clés d’accès n’est pas configuré sur cette page.',
  enrollCancelled: 'Aucune clé d’accès n’a été ajoutée.',
  enrollNotAllowed: 'La clé d’accès n’a pas pu être ajoutée. Veuillez réessayer.',
  enrollAlreadyRegistered: 'Cet appareil possède déjà une clé d’accès pour votre compte.',
  enrollNetwork: 'Impossible de joindre le serveur. Vérifiez votre connexion, puis réessayez.',
  enrollExpired: 'La demande a expiré. Veuillez réessayer.',
  enrollReauthenticationRequired: 'Pour votre sécurité, veuillez vous reconnecter avant d’ajouter une clé d’accès.',
  enrollUnsupported: 'Ce navigateur ne peut pas créer de clé d’accès.',
  enrollUnknown: 'L’ajout de la clé d’accès n’a pas abouti. Veuillez réessayer.'
}

export default fr
