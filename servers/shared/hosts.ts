// DNS rebinding defence for the demo IdP and app (issue 12, finding 3), the emulator's rule (its hosts.ts):
// a page on a domain that resolves to 127.0.0.1 reaches a local server with its own name in `Host`, so each
// server answers only the names it is configured for — its public origin's, the loopback names at its port
// when it listens on loopback, and any listed for a proxy — with 421 and nothing done otherwise.
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'

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
  // A DNS name or an IP address as browsers send it (IDNs arrive as punycode): no wildcard, no other character.
  if (!/^(?:\[[0-9a-f:.]+\]|[a-z0-9_.-]+)$/.test(url.hostname) || (written == null && value.endsWith(':'))) return null
  return { hostname: url.hostname.toLowerCase(), port: written }
}

/** The loopback names at one port. */
export const loopbackHosts = (port: string | number): string[] => LOOPBACK_NAMES.map(name => `${name}:${port}`)

/** The entries of a comma-separated list (an environment variable); null for the first one that is not a host. */
export function hostList (value: string | undefined): { hosts: string[], bad?: string } {
  const hosts = (value ?? '').split(',').map(h => h.trim()).filter(Boolean)
  const bad = hosts.find(h => parseHost(h) == null)
  return bad != null ? { hosts, bad } : { hosts }
}

/** What a server answers for: its public origin's host, the loopback names at its port when that is loopback, and the extra names. */
export function allowedHostsFor (publicOrigin: string, extra: readonly string[]): HostEntry[] {
  const url = new URL(publicOrigin)
  const own: HostEntry[] = [{ hostname: url.hostname.toLowerCase(), port: url.port === '' ? null : url.port }]
  if (isLoopback(url.hostname)) {
    const at = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port
    for (const name of loopbackHosts(at)) own.push(parseHost(name) as HostEntry)
  }
  return [...own, ...extra.map(entry => {
    const parsed = parseHost(entry)
    if (parsed == null) throw new TypeError(`allowed host ${JSON.stringify(entry)} is not a host name or host:port`)
    return parsed
  })]
}

export function hostAllowed (header: string | undefined, allowed: readonly HostEntry[]): boolean {
  const host = header == null ? null : parseHost(header)
  if (host == null) return false
  return allowed.some(entry => entry.hostname === host.hostname && (entry.port == null || entry.port === host.port))
}

export interface HostCheckOptions {
  /** The names answered for (allowedHostsFor). */
  allowed: readonly HostEntry[]
  /** Behind a trusted proxy, each `X-Forwarded-Host` value (the name the browser used) must be allowed too. */
  trustProxy?: boolean
  /** The setting that lists a proxy's names, for the answer's words. */
  setting: string
}

/** The first hook of every request: 421, `no-store`, plain words, for a host name the server is not for. */
export function hostCheck ({ allowed, trustProxy = false, setting }: HostCheckOptions): onRequestAsyncHookHandler {
  return async function checkHost (request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const forwarded = request.headers['x-forwarded-host']
    const names = [request.headers.host, ...(trustProxy && forwarded != null ? String(forwarded).split(',').map(h => h.trim()) : [])]
    if (names.every(name => hostAllowed(name, allowed))) return
    await reply.code(421).header('cache-control', 'no-store').type('text/plain; charset=utf-8')
      .send(`Misdirected request: this server does not answer for this host name. Behind a proxy, list the proxy's host name in ${setting}.`)
  }
}
