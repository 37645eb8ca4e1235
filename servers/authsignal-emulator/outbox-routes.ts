// The outbox over HTTP, behind the API secret (HTTP Basic, the secret as the user name, as the Server API):
//   GET    /__emulator/outbox?to=   JSON: { messages: [...] }, newest first
//   GET    /__emulator/outbox.html  the same as a page; a browser asks for the secret (user name, no password)
//   DELETE /__emulator/outbox       empties it
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { requireSecret } from './auth.js'
import type { EmulatorContext } from './context.js'
import { ApiError } from './errors.js'

const query = { type: 'object', additionalProperties: false, properties: { to: { type: 'string', minLength: 1, maxLength: 254 } } }

const escape = (text: string): string => text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

export const outboxRoutes: FastifyPluginAsync<{ ctx: EmulatorContext }> = async (app, { ctx }) => {
  const secretOnly = async (request: FastifyRequest): Promise<void> => { requireSecret(request, ctx.options.secret) }

  app.get<{ Querystring: { to?: string } }>('/outbox', { onRequest: secretOnly, schema: { querystring: query } }, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    return { messages: ctx.outbox.list(request.query.to) }
  })

  app.delete('/outbox', { onRequest: secretOnly }, async () => {
    ctx.outbox.clear()
    return {}
  })

  app.get<{ Querystring: { to?: string } }>('/outbox.html', {
    schema: { querystring: query },
    // A browser shows its sign-in prompt on a 401 with a Basic challenge.
    onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        requireSecret(request, ctx.options.secret)
      } catch (error) {
        if (error instanceof ApiError) reply.header('www-authenticate', 'Basic realm="authsignal-emulator outbox (user name: the API secret, no password)", charset="UTF-8"')
        throw error
      }
    }
  }, async (request, reply) => {
    const messages = ctx.outbox.list(request.query.to)
    const rows = messages.map(m => `<tr><td>${escape(m.sentAt)}</td><td>${m.channel === 'email' ? 'Email' : 'SMS'}</td><td>${escape(m.to)}</td>` +
      `<td><strong>${escape(m.code)}</strong></td><td>${escape(m.purpose)}</td><td>${escape(m.userId ?? '')}</td><td>${escape(m.action ?? '')}</td><td>${escape(m.expiresAt)}</td></tr>`).join('\n')
    const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Outbox — authsignal-emulator</title></head>
<body>
<main>
<h1>Outbox</h1>
<p>Codes the emulator would have sent by email and SMS, newest first (at most 200, kept in memory). Reload to see new ones.</p>
${messages.length === 0
  ? '<p>Nothing has been sent yet.</p>'
  : `<table><thead><tr><th scope="col">Sent</th><th scope="col">Channel</th><th scope="col">To</th><th scope="col">Code</th><th scope="col">Purpose</th><th scope="col">User</th><th scope="col">Action</th><th scope="col">Expires</th></tr></thead>
<tbody>
${rows}
</tbody></table>`}
</main>
</body>
</html>
`
    return await reply.headers({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY'
    }).send(html)
  })
}
