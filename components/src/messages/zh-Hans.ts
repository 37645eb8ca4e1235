import type { PasskeyMessages } from './types.js'

/** 简体中文（称"您"；"通行密钥"，与 Apple 和 Google 的用词一致）。 */
const zhHans: PasskeyMessages = {
  signInLabel: '使用通行密钥登录',
  signInWaiting: '正在等待您的通行密钥…',
  signInSigningIn: '正在登录…',
  signInNotConfigured: '此页面未设置通行密钥登录。',
  signInNoForm: '此页面的通行密钥登录未关联任何表单。',
  signInCancelled: '已取消通行密钥登录。',
  signInNotAllowed: '该通行密钥未被接受。请重试，或使用密码登录。',
  signInAlreadyRegistered: '无法使用通行密钥登录。请重试，或使用密码登录。',
  signInNetwork: '无法连接到登录服务。请检查网络连接后重试。',
  signInExpired: '通行密钥请求已过期。请重试。',
  signInReauthenticationRequired: '请重新登录。',
  signInUnsupported: '此浏览器无法在此处使用通行密钥。',
  signInUnknown: '无法使用通行密钥登录。请重试，或使用密码登录。',
  enrollLabel: '添加通行密钥',
  enrollPreparing: '正在准备…',
  enrollWaiting: '请按照浏览器的提示创建通行密钥…',
  enrollAdded: '已添加通行密钥。',
  enrollReauthenticateLink: '重新登录',
  enrollNotConfigured: '此页面未设置添加通行密钥的功能。',
  enrollCancelled: '未添加通行密钥。',
  enrollNotAllowed: '无法添加通行密钥。请重试。',
  enrollAlreadyRegistered: '此设备上已有您账户的通行密钥。',
  enrollNetwork: '无法连接到服务器。请检查网络连接后重试。',
  enrollExpired: '请求已过期。请重试。',
  enrollReauthenticationRequired: '为了您的账户安全，请先重新登录，再添加通行密钥。',
  enrollUnsupported: '此浏览器无法创建通行密钥。',
  enrollUnknown: '添加通行密钥时出现问题。请重试。'
}

export default zhHans
