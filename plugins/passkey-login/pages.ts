// Rendering of the two pages the plugin owns (login, error) through @fastify/view + eta registered in
// the plugin's own scope, or through the host's replacement (an eta file or a render function).
import { basename, dirname, join } from 'node:path'
import fastifyView from '@fastify/view'
import { Eta } from 'eta'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ErrorPageData, LoginPageData, RenderFunction } from './options.js'

export const VIEWS_DIR = join(import.meta.dirname, '..', 'views')
/** The view decorator's name: distinct from a host's `reply.view`, so neither shadows the other. */
export const VIEW_PROPERTY = 'passkeyLoginView'

// Escaping on, and no raw output anywhere in our templates (security checklist F8).
const etaOptions = { autoEscape: true, autoTrim: [false, 'nl'] as [false, 'nl'], useWith: false }

type ViewDecorator = (page: string | ((data: object) => string), data: object) => Promise<string>

export interface Pages {
  login (request: FastifyRequest, reply: FastifyReply, data: LoginPageData): Promise<FastifyReply>
  error (request: FastifyRequest, reply: FastifyReply, data: ErrorPageData): Promise<FastifyReply>
}

/** A host's eta file is rendered by an Eta of its own whose views root is the file's folder. */
function hostTemplate (path: string): (data: object) => string {
  const eta = new Eta({ ...etaOptions, views: dirname(path), cache: true })
  const name = basename(path)
  return (data: object) => eta.render(name, data)
}

export async function registerPages (scope: FastifyInstance, views: {
  login: string | RenderFunction<LoginPageData> | undefined
  error: string | RenderFunction<ErrorPageData> | undefined
}): Promise<Pages> {
  await scope.register(fastifyView, {
    engine: { eta: new Eta(etaOptions) },
    root: VIEWS_DIR,
    propertyName: VIEW_PROPERTY,
    // Our templates ship with the package and never change while it runs: compiled once, whatever NODE_ENV
    // says (@fastify/view's default re-reads and recompiles them on every render outside production).
    production: true
  })
  const render = (): ViewDecorator => (scope as unknown as Record<string, ViewDecorator>)[VIEW_PROPERTY] as ViewDecorator

  function pageFor<T extends object> (view: string | RenderFunction<T> | undefined, builtIn: string) {
    const template = typeof view === 'string' ? hostTemplate(view) : builtIn
    return async (request: FastifyRequest, reply: FastifyReply, data: T): Promise<FastifyReply> => {
      const html = typeof view === 'function' ? await view(data, request, reply) : await render()(template, data)
      return await reply.type('text/html; charset=utf-8').send(html)
    }
  }

  return {
    login: pageFor(views.login, 'login'),
    error: pageFor(views.error, 'error')
  }
}
