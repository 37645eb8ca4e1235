// Fault injection for resilience tests: added latency, 5xx answers and dropped connections, matched by
// path prefix. Off unless a rule is set (options, the `faults` decorator, or POST /__emulator/faults).
import type { FastifyReply, FastifyRequest } from 'fastify'
import { setTimeout as sleep } from 'node:timers/promises'

export interface FaultRule {
  /** Path prefix the rule applies to (e.g. '/v1/validate', '/v1/client'); every path when absent. */
  path?: string
  /** HTTP method; every method when absent. */
  method?: string
  /** Delay before the request is handled (or failed). */
  latencyMs?: number
  /** Answer with this status (5xx) and an Authsignal error body instead of handling the request. */
  status?: number
  /** Destroy the connection without answering. */
  drop?: boolean
  /** How many requests the rule applies to before it is used up; forever when absent. */
  times?: number
}

export interface FaultController {
  set (rules: FaultRule[]): void
  clear (): void
  /** Requests each fault has hit so far (for asserting bounded retries). */
  readonly hits: number
}

export function createFaults (initial: FaultRule[] = []): FaultController & {
  apply (request: FastifyRequest, reply: FastifyReply): Promise<boolean>
  /** Ends every injected wait at once (on close, so a slow fault never holds the server open). */
  abortWaits (): void
} {
  let rules = initial.map(r => ({ ...r }))
  let hits = 0
  const waits = new Set<AbortController>()

  /** Waits `ms`, unless the caller hangs up or the server closes first; answers whether it waited it out. */
  async function wait (request: FastifyRequest, ms: number): Promise<boolean> {
    const controller = new AbortController()
    const hangUp = (): void => { controller.abort() }
    waits.add(controller)
    request.raw.once('close', hangUp)
    try {
      await sleep(ms, undefined, { signal: controller.signal })
      return true
    } catch {
      return false
    } finally {
      waits.delete(controller)
      request.raw.off('close', hangUp)
    }
  }

  return {
    abortWaits () { for (const controller of waits) controller.abort() },
    set (next) { rules = next.map(r => ({ ...r })); hits = 0 },
    clear () { rules = []; hits = 0 },
    get hits () { return hits },
    /** Returns true when the request was answered (or dropped) by a fault. */
    async apply (request, reply) {
      const path = request.url.split('?')[0] ?? ''
      const rule = rules.find(r =>
        (r.path == null || path.startsWith(r.path)) &&
        (r.method == null || r.method.toUpperCase() === request.method) &&
        (r.times == null || r.times > 0))
      if (rule == null) return false
      hits++
      if (rule.times != null) rule.times--
      const waited = rule.latencyMs == null || rule.latencyMs <= 0 || await wait(request, rule.latencyMs)
      if (!waited || rule.drop === true) {
        reply.hijack()
        request.raw.socket.destroy()
        return true
      }
      if (rule.status != null) {
        await reply.code(rule.status).send({ error: 'unexpected_error', errorCode: 'unexpected_error', errorDescription: 'Injected fault.' })
        return true
      }
      return false
    }
  }
}
