// Authsignal's error shape: every non-2xx answer carries `error`, `errorCode` and `errorDescription`
// (the Node SDK reads `error`, Python and Go read `errorCode`, the browser SDK only checks `"error" in body`).

export interface ErrorBody {
  error: string
  errorCode: string
  errorDescription: string
}

export class ApiError extends Error {
  readonly statusCode: number
  readonly code: string
  constructor (statusCode: number, code: string, description: string) {
    super(description)
    this.statusCode = statusCode
    this.code = code
  }

  get body (): ErrorBody {
    return { error: this.code, errorCode: this.code, errorDescription: this.message }
  }
}

export const UNAUTHORIZED_DESCRIPTION =
  'The request is unauthorized. Check that your API key and region base URL are correctly configured.'

export const unauthorized = (): ApiError => new ApiError(401, 'unauthorized', UNAUTHORIZED_DESCRIPTION)
export const invalidRequest = (description: string): ApiError => new ApiError(400, 'invalid_request', description)
export const expiredToken = (): ApiError => new ApiError(401, 'expired_token', 'The token has expired. Tokens are valid for 10 minutes after an action is tracked or a challenge is completed.')
export const invalidToken = (): ApiError => new ApiError(401, 'invalid_token', 'The token is invalid.')
export const invalidCredential = (description: string, code: 'invalid_credential' | 'unknown_credential' = 'invalid_credential'): ApiError => new ApiError(400, code, description)
export const insufficientScope = (scope: string): ApiError =>
  new ApiError(403, 'insufficient_scope', `The token does not have the ${scope} scope required to add an authenticator for a user who already has one.`)
export const notFound = (description = 'Not found.'): ApiError => new ApiError(404, 'not_found', description)
