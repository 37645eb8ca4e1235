// A redis-server of our own for the demo cluster (and the tests): Debian's binary on a free port, no
// persistence, stopped with us. A clear message with the install command when it is missing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'

export class RedisServerMissing extends Error {
  constructor () {
    super('redis-server is not installed: run `sudo apt-get install -y redis-server` (or set REDIS_URL to a Redis 7 or Valkey you run)')
    this.name = 'RedisServerMissing'
  }
}

export interface LocalRedis {
  url: string
  port: number
  /** Kills it (like a crash). */
  stop (): Promise<void>
  /** Starts it again on the same port, empty. */
  start (): Promise<void>
}

export async function freeLocalPort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => { typeof address === 'object' && address != null ? resolve(address.port) : reject(new Error('no port')) })
    })
  })
}

async function ready (port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
    probe.on('error', () => {})
    try {
      await probe.connect()
      if (await probe.ping() === 'PONG') return
    } catch {} finally { probe.disconnect() }
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error(`redis-server on port ${port} did not answer`)
}

/** Starts `redis-server --port <port> --save ''` (a free port unless given). */
export async function startLocalRedis (options: { port?: number, debug?: boolean } = {}): Promise<LocalRedis> {
  if (spawnSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' }).status !== 0) throw new RedisServerMissing()
  const port = options.port ?? await freeLocalPort()
  let child: ChildProcess | undefined
  const start = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(options.debug === true ? ['--enable-debug-command', 'local'] : [])]
    child = spawn('redis-server', args, { stdio: 'ignore' })
    await ready(port)
  }
  const stop = async (): Promise<void> => {
    const running = child
    child = undefined
    if (running == null || running.exitCode != null) return
    await new Promise(resolve => { running.once('exit', resolve); running.kill('SIGKILL') })
  }
  await start()
  return { url: `redis://127.0.0.1:${port}`, port, stop, start }
}
