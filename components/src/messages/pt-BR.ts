import type { PasskeyMessages } from './types.js'

/** Português do Brasil («você»; «chave de acesso», o termo da Apple e do Google). */
const ptBR: PasskeyMessages = {
  signInLabel: 'Entrar com uma chave de acesso',
  signInWaiting: 'Aguardando sua chave de acesso…',
  signInSigningIn: 'Entrando…',
  signInNotConfigured: 'O login com chave de acesso não está configurado nesta página.',
  signInNoForm: 'O login com chave de acesso não está vinculado a nenhum formulário desta página.',
  signInCancelled: 'Login com chave de acesso cancelado.',
  signInNotAllowed: 'Essa chave de acesso não foi aceita. Tente de novo ou entre com sua senha.',
  signInAlreadyRegistered: 'Não foi possível entrar com a chave de acesso. Tente de novo ou entre com sua senha.',
  signInNetwork: 'Não foi possível acessar o serviço de login. Verifique sua conexão e tente de novo.',
  signInExpired: 'A solicitação da chave de acesso expirou. Tente de novo.',
  signInReauthenticationRequired: 'Entre novamente.',
  signInUnsupported: 'Este navegador não pode usar chaves de acesso aqui.',
  signInUnknown: 'Não foi possível entrar com a chave de acesso. Tente de novo ou entre com sua senha.',
  enrollLabel: 'Adicionar uma chave de acesso',
  enrollPreparing: 'Preparando…',
  enrollWaiting: 'Siga as instruções do navegador para criar uma chave de acesso…',
  enrollAdded: 'Chave de acesso adicionada.',
  enrollReauthenticateLink: 'Entrar novamente',
  enrollNotConfigured: 'A adição de chaves de acesso não está configurada nesta página.',
  enrollCancelled: 'Nenhuma chave de acesso foi adicionada.',
  enrollNotAllowed: 'Não foi possível adicionar a chave de acesso. Tente de novo.',
  enrollAlreadyRegistered: 'Este dispositivo já tem uma chave de acesso para sua conta.',
  enrollNetwork: 'Não foi possível acessar o servidor. Verifique sua conexão e tente de novo.',
  enrollExpired: 'A solicitação expirou. Tente de novo.',
  enrollReauthenticationRequired: 'Para sua segurança, entre novamente antes de adicionar uma chave de acesso.',
  enrollUnsupported: 'Este navegador não pode criar chaves de acesso.',
  enrollUnknown: 'Algo deu errado ao adicionar a chave de acesso. Tente de novo.'
}

export default ptBR
