// `npm run start:cluster`: the demo as several instances would run it. Redis from REDIS_URL (else Debian's
// redis-server started on a free port), two IdP processes and two app processes on private ports behind
// round-robin proxies on the standard ports (5001, 5002), and the local Authsignal server on 5003. Every
// instance shares its state through Redis, and the same keys: a sign-in may start on one instance and
// finish on the other, and a restart signs nobody out. The same browser journey as `npm start` works.
import { spawn, type ChildProcess } from 'node:child_process'
import { request as httpRequest } from 'node:http'
import { join, resolve } from 'node:path'
import { start as startEmulator, type RunningEmulator } from 'authsignal-emulator'
import type { FastifyRequest } from 'fastify'
import { loadOrCreateDevSecrets, type DevSecrets } from './shared/dev-secrets.js'
import { freeLocalPort, startLocalRedis, type LocalRedis } from './shared/redis-server.js'
import { roundRobinProxy, type RoundRobinProxy } from './shared/round-robin-proxy.js'

const ROOT = join(import.meta.dirname, '..')

export interface ClusterOptions {
  /** A Redis of your own; else redis-server is started on a free port. */
  redisUrl?: string
  /** Public ports. @default idp 5001, app 5002, emulator 5003 */
  ports?: { idp?: number, app?: number, emulator?: number }
  /** Instances of each server. @default 2 */
  instances?: number
  /** Development secrets shared by every instance. @default loaded from (or created in) data/ */
  secrets?: DevSecrets
  /** The emulator's state file. @default data/authsignal-emulator.json */
  emulatorDataFile?: string
  /** Log level of the instances. @default 'warn' */
  log?: string
  /** Picks the instance for a request (tests pin one). */
  route?: (request: FastifyRequest, upstreams: string[]) => string | undefined
  /** More environment for the instances (e.g. a rate-limit setting). */
  env?: NodeJS.ProcessEnv
}

export interface Cluster {
  idpUrl: string
  appUrl: string
  emulator: RunningEmulator
  redisUrl: string
  /** Proxies' per-instance request counts. */
  proxies: { idp: RoundRobinProxy, app: RoundRobinProxy }
  /** Instances' private origins. */
  upstreams: { idp: string[], app: string[] }
  /** Stops every IdP and app instance and starts them again on the same ports. */
  restartInstances (): Promise<void>
  /** The redis-server the cluster started (absent with REDIS_URL). */
  localRedis?: LocalRedis
  stop (): Promise<void>
}

interface Instance { name: string, script: string, port: number, env: NodeJS.ProcessEnv, child?: ChildProcess, output: string }

/** Answers once the instance serves `path` for its public host name. */
async function ready (instance: Instance, publicHost: string, path: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (instance.child?.exitCode != null) throw new Error(`${instance.name} exited:\n${instance.output.slice(-2000)}`)
    const ok = await new Promise<boolean>(resolve => {
      const req = httpRequest({ host: '127.0.0.1', port: instance.port, path, headers: { host: publicHost } }, res => { res.resume(); resolve((res.statusCode ?? 500) < 500) })
      req.on('error', () => { resolve(false) })
      req.end()
    })
    if (ok) return
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`${instance.name} did not come up:\n${instance.output.slice(-2000)}`)
}

function launch (instance: Instance): void {
  instance.output = ''
  const child = spawn(process.execPath, ['--import', 'tsx', instance.script], { cwd: ROOT, env: instance.env, stdio: ['ignore', 'pipe', 'pipe'] })
  const collect = (chunk: Buffer): void => { instance.output = (instance.output + chunk.toString()).slice(-20_000) }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  instance.child = child
}

async function halt (instance: Instance): Promise<void> {
  const child = instance.child
  instance.child = undefined
  if (child == null || child.exitCode != null) return
  await new Promise(resolve => {
    const timer = setTimeout(() => { child.kill('SIGKILL') }, 5000)
    child.once('exit', () => { clearTimeout(timer); resolve(undefined) })
    child.kill('SIGTERM')
  })
}

export async function startCluster (options: ClusterOptions = {}): Promise<Cluster> {
  const ports = { idp: options.ports?.idp ?? 5001, app: options.ports?.app ?? 5002, emulator: options.ports?.emulator ?? 5003 }
  const count = options.instances ?? 2
  const idpUrl = `http://localhost:${ports.idp}`
  const appUrl = `http://localhost:${ports.app}`
  const stops: Array<() => Promise<unknown>> = []
  const stop = async (): Promise<void> => { for (const fn of stops.reverse()) await fn().catch(() => {}) }
  try {
    const localRedis = options.redisUrl == null ? await startLocalRedis() : undefined
    if (localRedis != null) stops.push(localRedis.stop)
    const redisUrl = options.redisUrl ?? localRedis?.url ?? ''

    const emulator = await startEmulator({
      port: ports.emulator,
      secret: 'dev-only-emulator-secret',
      tenantId: 'dev-tenant',
      expectedOrigins: [idpUrl, appUrl],
      dataFile: options.emulatorDataFile ?? join(ROOT, 'data', 'authsignal-emulator.json'),
      logger: options.log === 'off' ? false : { level: options.log ?? 'warn' }
    })
    stops.push(emulator.close)

    // One set of keys for every instance: cookies and tokens issued by one are read by the other.
    const secrets = options.secrets ?? await loadOrCreateDevSecrets()
    const shared: NodeJS.ProcessEnv = {
      ...process.env,
      ...options.env,
      REDIS_URL: redisUrl,
      AUTHSIGNAL_API_URL: emulator.apiUrl,
      IDP_ISSUER: idpUrl,
      APP_ORIGIN: appUrl,
      IDP_JWKS: JSON.stringify(secrets.jwks),
      IDP_COOKIE_KEYS: secrets.idpCookieKeys.join(','),
      DEMO_CLIENT_SECRET: secrets.clientSecret,
      APP_SESSION_KEY: secrets.appSessionKey,
      IDP_LOG: options.log ?? 'warn',
      APP_LOG: options.log ?? 'warn'
    }
    const instances: Instance[] = []
    for (let i = 1; i <= count; i++) {
      instances.push({ name: `idp-${i}`, script: 'servers/idp/server.ts', port: await freeLocalPort(), env: {}, output: '' })
      instances.push({ name: `app-${i}`, script: 'servers/client/server.ts', port: await freeLocalPort(), env: {}, output: '' })
    }
    for (const instance of instances) {
      instance.env = instance.name.startsWith('idp')
        ? { ...shared, IDP_PORT: String(instance.port), IDP_HOST: '127.0.0.1' }
        : { ...shared, APP_PORT: String(instance.port), APP_HOST: '127.0.0.1' }
    }
    const upAll = async (): Promise<void> => {
      instances.forEach(launch)
      await Promise.all(instances.map(async instance => {
        await (instance.name.startsWith('idp')
          ? ready(instance, `localhost:${ports.idp}`, '/.well-known/openid-configuration')
          : ready(instance, `localhost:${ports.app}`, '/'))
      }))
    }
    stops.push(async () => { await Promise.all(instances.map(halt)) })
    await upAll()

    const upstreams = {
      idp: instances.filter(i => i.name.startsWith('idp')).map(i => `http://127.0.0.1:${i.port}`),
      app: instances.filter(i => i.name.startsWith('app')).map(i => `http://127.0.0.1:${i.port}`)
    }
    const route = options.route
    const proxies = {
      idp: await roundRobinProxy({ upstreams: upstreams.idp, ...(route != null ? { route } : {}) }),
      app: await roundRobinProxy({ upstreams: upstreams.app, ...(route != null ? { route } : {}) })
    }
    for (const [name, proxy] of Object.entries(proxies)) {
      await proxy.app.listen({ port: name === 'idp' ? ports.idp : ports.app, host: 'localhost' })
      stops.push(async () => { await proxy.app.close() })
    }

    return {
      idpUrl,
      appUrl,
      emulator,
      redisUrl,
      proxies,
      upstreams,
      ...(localRedis != null ? { localRedis } : {}),
      async restartInstances () {
        await Promise.all(instances.map(halt))
        await upAll()
      },
      stop
    }
  } catch (error) {
    await stop()
    throw error
  }
}

// `npm run start:cluster`
if (process.argv[1] != null && import.meta.filename === resolve(process.argv[1])) {
  try {
    const cluster = await startCluster({ ...(process.env.REDIS_URL != null && process.env.REDIS_URL !== '' ? { redisUrl: process.env.REDIS_URL } : {}) })
    console.log([
      '',
      'Passkey sign-in demo, two instances each, sharing Redis:',
      `  App         ${cluster.appUrl}   ← start here   (${cluster.upstreams.app.join(', ')})`,
      `  IdP         ${cluster.idpUrl}   (${cluster.upstreams.idp.join(', ')})`,
      `  Authsignal  ${cluster.emulator.apiUrl}   (local Authsignal emulator)`,
      `  Redis       ${cluster.redisUrl}${process.env.REDIS_URL == null || process.env.REDIS_URL === '' ? '   (redis-server started for the demo)' : ''}`,
      '',
      'Demo accounts: alice / alice, bob / bob',
      'Press Ctrl-C to stop.',
      ''
    ].join('\n'))
    let stopping = false
    const onSignal = (): void => {
      if (stopping) return
      stopping = true
      console.log('start:cluster: stopping…')
      void cluster.stop().then(() => { console.log('start:cluster: stopped') })
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  } catch (error) {
    console.error(`start:cluster: cannot start: ${(error as Error).message}`)
    process.exitCode = 1
  }
}
