// The entry point of every demo server: read the configuration (a bad setting ends the process with a
// message naming it, no stack trace), build, listen, say where, and close cleanly on SIGINT/SIGTERM.
import type { FastifyInstance } from 'fastify'

export interface Served<T> { port: number, host: string, options: T }

export async function serve<T> (
  name: string,
  configure: () => Promise<Served<T>> | Served<T>,
  build: (options: T) => Promise<FastifyInstance>,
  describe: (options: T) => string,
  isConfigError: (error: unknown) => boolean
): Promise<void> {
  let config: Served<T>
  try {
    config = await configure()
  } catch (error) {
    if (!isConfigError(error)) throw error
    console.error(`${name}: configuration error: ${(error as Error).message}`)
    process.exitCode = 1
    return
  }
  let app: FastifyInstance
  try {
    app = await build(config.options)
    await app.listen({ port: config.port, host: config.host })
  } catch (error) {
    // A corrupt data file or a busy port: say what is wrong, without a stack trace.
    console.error(`${name}: cannot start: ${(error as Error).message}`)
    process.exitCode = 1
    return
  }
  const stop = (): void => { void app.close() }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  console.log(`${name}: ${describe(config.options)}`)
}
