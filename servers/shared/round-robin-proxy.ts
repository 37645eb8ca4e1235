// The demo cluster's load balancer: requests to one public port go to the instances in turn (round robin),
// through @fastify/reply-from. The Host header is passed as the browser sent it (the instances answer only
// their public host name), and the client's address travels in X-Forwarded-For.
import replyFrom from '@fastify/reply-from'
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'

export interface ProxyOptions {
  /** Instances' origins, e.g. http://127.0.0.1:41001. */
  upstreams: string[]
  /** Picks the instance for a request (tests pin one); default round robin. */
  route?: (request: FastifyRequest, upstreams: string[]) => string | undefined
}

export interface RoundRobinProxy {
  app: FastifyInstance
  /** Requests each upstream received through the proxy. */
  hits: Map<string, number>
}

export async function roundRobinProxy (options: ProxyOptions): Promise<RoundRobinProxy> {
  const hits = new Map(options.upstreams.map(upstream => [upstream, 0]))
  let next = 0
  const pick = (request: FastifyRequest): string => {
    const chosen = options.route?.(request, options.upstreams) ?? options.upstreams[next++ % options.upstreams.length]
    if (chosen == null) throw new Error('proxy: no upstream')
    hits.set(chosen, (hits.get(chosen) ?? 0) + 1)
    return chosen
  }
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, return503OnClosing: true })
  await app.register(replyFrom, { undici: { connections: 64, pipelining: 1, keepAliveTimeout: 5_000 } })
  // Bodies go through as they came (forms, JSON): no parsing here.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (_request, payload, done) => { done(null, payload) })
  app.all('/*', async (request, reply) => await reply.from(request.url, {
    getUpstream: () => pick(request),
    rewriteRequestHeaders: (original, headers) => ({
      ...headers,
      host: original.headers.host ?? '',
      'x-forwarded-for': [original.headers['x-forwarded-for'], original.ip].filter(Boolean).join(', ')
    })
  }))
  return { app, hits }
}
