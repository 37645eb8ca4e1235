import type { PasskeyMessages } from './types.js'

/** Español (tuteo, como en las interfaces de Apple y Google; «llave de acceso»). */
const es: PasskeyMessages = {
  signInLabel: 'Iniciar sesión con una llave de acceso',
  signInWaiting: 'Esperando tu llave de acceso…',
  signInSigningIn: 'Iniciando sesión…',
  signInNotConfigured: 'El inicio de sesión con llave de acceso no está configurado en esta página.',
  signInNoForm: 'El inicio de sesión con llave de acceso no está vinculado a ningún formulario de esta página.',
  signInCancelled: 'Inicio de sesión con llave de acceso cancelado.',
  signInNotAllowed: 'No se aceptó esa llave de acceso. Vuelve a intentarlo o inicia sesión con tu contraseña.',
  signInAlreadyRegistered: 'No se pudo iniciar sesión con la llave de acceso. Vuelve a intentarlo o inicia sesión con tu contraseña.',
  signInNetwork: 'No se pudo conectar con el servicio de inicio de sesión. Comprueba tu conexión y vuelve a intentarlo.',
  signInExpired: 'La solicitud de la llave de acceso caducó. Vuelve a intentarlo.',
  signInReauthenticationRequired: 'Vuelve a iniciar sesión.',
  signInUnsupported: 'Este navegador no puede usar llaves de acceso aquí.',
  signInUnknown: 'No se pudo iniciar sesión con la llave de acceso. Vuelve a intentarlo o inicia sesión con tu contraseña.',
  enrollLabel: 'Añadir una llave de acceso',
  enrollPreparing: 'Preparando…',
  enrollWaiting: 'Sigue las indicaciones del navegador para crear una llave de acceso…',
  enrollAdded: 'Llave de acceso añadida.',
  enrollReauthenticateLink: 'Volver a iniciar sesión',
  enrollNotConfigured: 'La opción de añadir llaves de acceso no está configurada en esta página.',
  enrollCancelled: 'No se añadió ninguna llave de acceso.',
  enrollNotAllowed: 'No se pudo añadir la llave de acceso. Vuelve a intentarlo.',
  enrollAlreadyRegistered: 'Este dispositivo ya tiene una llave de acceso para tu cuenta.',
  enrollNetwork: 'No se pudo conectar con el servidor. Comprueba tu conexión y vuelve a intentarlo.',
  enrollExpired: 'La solicitud caducó. Vuelve a intentarlo.',
  enrollReauthenticationRequired: 'Por tu seguridad, vuelve a iniciar sesión antes de añadir una llave de acceso.',
  enrollUnsupported: 'Este navegador no puede crear llaves de acceso.',
  enrollUnknown: 'Algo salió mal al añadir la llave de acceso. Vuelve a intentarlo.'
}

export default es
