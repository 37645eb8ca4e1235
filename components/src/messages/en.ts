import { enrollEnglish } from './english-enroll.js'
import { signInEnglish } from './english-signin.js'
import type { PasskeyMessages } from './types.js'

/** The English catalogue: the source every other language translates. */
const en: PasskeyMessages = { ...signInEnglish, ...enrollEnglish }

export default en
