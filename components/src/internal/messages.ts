// Which words the elements say for each `passkey-error` code. The words themselves are in src/messages/.
import type { PasskeyErrorCode } from '../events.js'

const SUFFIXES = {
  cancelled: 'Cancelled',
  'not-allowed': 'NotAllowed',
  'already-registered': 'AlreadyRegistered',
  network: 'Network',
  expired: 'Expired',
  'reauthentication-required': 'ReauthenticationRequired',
  unsupported: 'Unsupported',
  unknown: 'Unknown'
} as const satisfies Record<PasskeyErrorCode, string>

type Suffix = typeof SUFFIXES[PasskeyErrorCode]

export const signInErrorKey = (code: PasskeyErrorCode): `signIn${Suffix}` => `signIn${SUFFIXES[code]}`
export const enrollErrorKey = (code: PasskeyErrorCode): `enroll${Suffix}` => `enroll${SUFFIXES[code]}`
