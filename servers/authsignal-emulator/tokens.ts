// Authsignal tokens: HS256 JWTs signed with the tenant's API secret (what Authsignal did until 2024;
// the SDKs no longer verify locally, so the signing scheme is ours to pick). Claims follow the SDKs'
// declared payload: sub, aud, iat, exp, scope and `other` with the action it refers to.
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose'
import { expiredToken, invalidToken } from './errors.js'

export const SCOPE_READ = 'read:authenticators'
export const SCOPE_ADD = 'add:authenticators'
/** What a token earned by completing a challenge may do (docs: "scopes to manage authenticators"). */
export const SCOPE_AFTER_CHALLENGE = `${SCOPE_READ} ${SCOPE_ADD}`

export interface TokenClaims {
  userId: string
  actionCode: string
  idempotencyKey: string
  scope: string
  username?: string
}

export interface TokenIssuer {
  issue (claims: TokenClaims): Promise<string>
  /** Throws ApiError `expired_token` or `invalid_token`. */
  verify (token: string): Promise<TokenClaims>
}

export function createTokenIssuer (secret: string, tenantId: string, ttlSeconds: number): TokenIssuer {
  const key = new TextEncoder().encode(secret)
  return {
    async issue (claims) {
      return await new SignJWT({
        scope: claims.scope,
        other: {
          tenantId,
          publishableKey: tenantId,
          userId: claims.userId,
          actionCode: claims.actionCode,
          idempotencyKey: claims.idempotencyKey,
          ...(claims.username != null ? { username: claims.username } : {})
        }
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.userId)
        .setAudience(tenantId)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key)
    },
    async verify (token) {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], audience: tenantId })
        const other = payload.other as Record<string, unknown> | undefined
        if (other == null || typeof other.userId !== 'string' || typeof other.actionCode !== 'string' ||
          typeof other.idempotencyKey !== 'string' || typeof payload.scope !== 'string' || other.tenantId !== tenantId) {
          throw invalidToken()
        }
        return {
          userId: other.userId,
          actionCode: other.actionCode,
          idempotencyKey: other.idempotencyKey,
          scope: payload.scope,
          username: typeof other.username === 'string' ? other.username : undefined
        }
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) throw expiredToken()
        throw invalidToken()
      }
    }
  }
}

export const hasScope = (claims: TokenClaims, scope: string): boolean => claims.scope.split(' ').includes(scope)
