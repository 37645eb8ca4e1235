import type { PasskeyMessages } from './types.js'

/** 한국어 (합니다체와 -하세요 안내문; '패스키'). */
const ko: PasskeyMessages = {
  signInLabel: '패스키로 로그인',
  signInWaiting: '패스키를 기다리는 중…',
  signInSigningIn: '로그인하는 중…',
  signInNotConfigured: '이 페이지에는 패스키 로그인이 설정되어 있지 않습니다.',
  signInNoForm: '이 페이지의 패스키 로그인이 양식에 연결되어 있지 않습니다.',
  signInCancelled: '패스키 로그인이 취소되었습니다.',
  signInNotAllowed: '이 패스키는 허용되지 않았습니다. 다시 시도하거나 비밀번호로 로그인하세요.',
  signInAlreadyRegistered: '패스키로 로그인하지 못했습니다. 다시 시도하거나 비밀번호로 로그인하세요.',
  signInNetwork: '로그인 서비스에 연결할 수 없습니다. 연결 상태를 확인한 후 다시 시도하세요.',
  signInExpired: '패스키 요청이 만료되었습니다. 다시 시도하세요.',
  signInReauthenticationRequired: '다시 로그인하세요.',
  signInUnsupported: '이 브라우저에서는 여기서 패스키를 사용할 수 없습니다.',
  signInUnknown: '패스키로 로그인하지 못했습니다. 다시 시도하거나 비밀번호로 로그인하세요.',
  enrollLabel: '패스키 추가',
  enrollPreparing: '준비하는 중…',
  enrollWaiting: '브라우저의 안내에 따라 패스키를 만드세요…',
  enrollAdded: '패스키가 추가되었습니다.',
  enrollReauthenticateLink: '다시 로그인',
  enrollNotConfigured: '이 페이지에는 패스키 추가가 설정되어 있지 않습니다.',
  enrollCancelled: '패스키가 추가되지 않았습니다.',
  enrollNotAllowed: '패스키를 추가할 수 없습니다. 다시 시도하세요.',
  enrollAlreadyRegistered: '이 기기에는 이미 계정의 패스키가 있습니다.',
  enrollNetwork: '서버에 연결할 수 없습니다. 연결 상태를 확인한 후 다시 시도하세요.',
  enrollExpired: '요청이 만료되었습니다. 다시 시도하세요.',
  enrollReauthenticationRequired: '보안을 위해 패스키를 추가하기 전에 다시 로그인하세요.',
  enrollUnsupported: '이 브라우저에서는 패스키를 만들 수 없습니다.',
  enrollUnknown: '패스키를 추가하는 중에 문제가 발생했습니다. 다시 시도하세요.'
}

export default ko
