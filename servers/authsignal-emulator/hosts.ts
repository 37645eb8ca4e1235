// DNS rebinding defence (issue 12, finding 3): a page on a domain that resolves to 127.0.0.1 could call this
// server with its well-known development secret. Browsers send the name they looked up in `Host`, so the
// server answers only the names it is configured for: its public URL's, the loopback names with its port
// when it is on loopback, and any listed in `allowedHosts` (a proxy's). Anything else: 421, nothing done.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from './errors.js'

/** A host name, and its port when the entry names one (an entry without a port matches any port). */
export interface HostEntry { hostname: string, port: string | null }

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]']

export function isLoopback (hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[|\]$/g, '')
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name)
}

/** Parses `host` or `host:port` (IPv6 in brackets); null when it is not one. */
export function parseHost (value: string): HostEntry | null {
  if (value === '' || /[/?#@\s\\]/.test(value)) return null
  let url: URL
  try { url = new URL(`http://${value}`) } catch { return null }
  // `new URL` drops a port that is the scheme's default: keep what was written.
  const written = /:(\d{1,5})$/.exec(value)?.[1] ?? null
  if (url.hostname === '' || (url.port === '' && written == null && value.endsWith(':'))) return null
  return { hostname: url.hostname.toLowerCase(), port: written }
}

/** The loopback names at one port. */
export const loopbackHosts = (port: string | number): string[] => LOOPBACK_NAMES.map(name => `${name}:${port}`)

/** What the server answers for, from its public URL and the extra names. */
export function allowedHostsFor (publicUrl: string, extra: readonly string[]): HostEntry[] {
  const url = new URL(publicUrl)
  const port = url.port === '' ? null : url.port
  const own: HostEntry[] = [{ hostname: url.hostname.toLowerCase(), port }]
  if (isLoopback(url.hostname)) {
    const at = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port
    for (const name of loopbackHosts(at)) own.push(parseHost(name) as HostEntry)
  }
  return [...own, ...extra.map(entry => {
    const parsed = parseHost(entry)
    if (parsed == null) throw new TypeError(`emulator: allowedHosts entry ${JSON.stringify(entry)} is not a host name or host:port`)
    return parsed
  })]
}

export function hostAllowed (header: string | undefined, allowed: readonly HostEntry[]): boolean {
  const host = header == null ? null : parseHost(header)
  if (host == null) return false
  return allowed.some(entry => entry.hostname === host.hostname && (entry.port == null || entry.port === host.port))
}

export const misdirected = (): ApiError => new ApiError(421, 'misdirected_request',
  'This server does not answer for this host name. It answers for the host of its public URL (and localhost when it listens there); ' +
  'behind a proxy, list the proxy\'s host name in EMULATOR_ALLOWED_HOSTS (--allowed-hosts).')

/** The first hook of every request. */
export function hostCheck (allowed: readonly HostEntry[]) {
  return async function checkHost (request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (hostAllowed(request.headers.host, allowed)) return
    const error = misdirected()
    await reply.code(error.statusCode).header('cache-control', 'no-store').send(error.body)
  }
}
