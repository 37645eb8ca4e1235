// Input patterns shared by the Server and Client APIs.

/** E.164, as the docs require for `phoneNumber` of an SMS authenticator or challenge. */
export const E164 = '^\\+[1-9][0-9]{6,14}$'
/** An email address: something before and after one @, no spaces (the provider is the real check). */
export const EMAIL = '^[^@\\s]{1,64}@[^@\\s]{1,189}$'
