import type { PasskeyMessages } from './types.js'

/** 日本語（です・ます調。「パスキー」）。 */
const ja: PasskeyMessages = {
  signInLabel: 'パスキーでサインイン',
  signInWaiting: 'パスキーを待っています…',
  signInSigningIn: 'サインインしています…',
  signInNotConfigured: 'このページではパスキーによるサインインが設定されていません。',
  signInNoForm: 'このページのパスキーによるサインインはフォームに接続されていません。',
  signInCancelled: 'パスキーによるサインインをキャンセルしました。',
  signInNotAllowed: 'このパスキーは受け付けられませんでした。もう一度お試しいただくか、パスワードでサインインしてください。',
  signInAlreadyRegistered: 'パスキーでサインインできませんでした。もう一度お試しいただくか、パスワードでサインインしてください。',
  signInNetwork: 'サインインサービスに接続できませんでした。接続を確認して、もう一度お試しください。',
  signInExpired: 'パスキーのリクエストの有効期限が切れました。もう一度お試しください。',
  signInReauthenticationRequired: 'もう一度サインインしてください。',
  signInUnsupported: 'このブラウザーでは、ここでパスキーを使用できません。',
  signInUnknown: 'パスキーでサインインできませんでした。もう一度お試しいただくか、パスワードでサインインしてください。',
  enrollLabel: 'パスキーを追加',
  enrollPreparing: '準備しています…',
  enrollWaiting: 'ブラウザーの案内に従ってパスキーを作成してください…',
  enrollAdded: 'パスキーを追加しました。',
  enrollReauthenticateLink: 'もう一度サインイン',
  enrollNotConfigured: 'このページではパスキーの追加が設定されていません。',
  enrollCancelled: 'パスキーは追加されませんでした。',
  enrollNotAllowed: 'パスキーを追加できませんでした。もう一度お試しください。',
  enrollAlreadyRegistered: 'このデバイスには、お使いのアカウントのパスキーがすでにあります。',
  enrollNetwork: 'サーバーに接続できませんでした。接続を確認して、もう一度お試しください。',
  enrollExpired: 'リクエストの有効期限が切れました。もう一度お試しください。',
  enrollReauthenticationRequired: 'セキュリティのため、パスキーを追加する前にもう一度サインインしてください。',
  enrollUnsupported: 'このブラウザーではパスキーを作成できません。',
  enrollUnknown: 'パスキーの追加中に問題が発生しました。もう一度お試しください。'
}

export default ja
