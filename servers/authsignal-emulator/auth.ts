// The two ways callers authenticate: the Server API with Basic(secret:), the Client API with
// Basic(tenant id) for passkey sign-in or Bearer(token) for everything bound to a tracked action.
import { timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { unauthorized } from './errors.js'
import type { TokenClaims, TokenIssuer } from './tokens.js'

function safeEqual (a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function basicUser (header: string | undefined): string | null {
  if (header == null || !/^Basic [A-Za-z0-9+/=]{1,2048}$/.test(header)) return null
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8')
  // Node sends "secret:"; the browser SDK sends base64(encodeURIComponent(tenantId)) with no colon.
  const colon = decoded.indexOf(':')
  return colon === -1 ? decoded : decoded.slice(0, colon)
}

/** Server API: `Authorization: Basic base64("<secret>:")`. */
export function requireSecret (request: FastifyRequest, secret: string): void {
  const user = basicUser(request.headers.authorization)
  if (user == null || !safeEqual(user, secret)) throw unauthorized()
}

export type ClientAuth =
  | { kind: 'tenant' }
  | { kind: 'token', claims: TokenClaims, token: string }

/** Client API: Bearer token (verified) or Basic tenant id (URI-decoded, optional trailing colon). */
export async function clientAuth (request: FastifyRequest, tenantId: string, tokens: TokenIssuer): Promise<ClientAuth> {
  const header = request.headers.authorization
  if (header != null && header.startsWith('Bearer ')) {
    const token = header.slice(7).trim()
    if (token.length === 0 || token.length > 4096) throw unauthorized()
    return { kind: 'token', claims: await tokens.verify(token), token }
  }
  const user = basicUser(header)
  let tenant: string | null = null
  try { tenant = user == null ? null : decodeURIComponent(user) } catch { tenant = null }
  if (tenant == null || !safeEqual(tenant, tenantId)) throw unauthorized()
  return { kind: 'tenant' }
}
