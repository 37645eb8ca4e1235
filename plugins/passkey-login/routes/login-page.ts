// GET <routePrefix>/:uid — where oidc-provider sends the browser: the login page for a login prompt; for a
// consent prompt of a first-party client, consent is implied and the browser goes straight on.
import type { FastifyInstance } from 'fastify'
import { FST_PASSKEY_LOGIN_CANNOT_FINISH } from '../errors.js'
import type { UidParams } from '../interaction.js'
import { NO_QUERY, routeLog, uidParams, type RouteContext } from './shared.js'

export function loginPage (scope: FastifyInstance, { interactions }: RouteContext): void {
  scope.get<{ Params: UidParams }>('/:uid', { ...routeLog, schema: { params: uidParams, querystring: NO_QUERY } }, async (request, reply) => {
    const interaction = await interactions.load(request, reply)
    if (interaction.prompt.name === 'consent') return await interactions.finishConsent(request, reply, interaction)
    if (interaction.prompt.name !== 'login') throw new FST_PASSKEY_LOGIN_CANNOT_FINISH(interaction.prompt.name)
    return await interactions.render(request, reply, interaction, 200)
  })
}
