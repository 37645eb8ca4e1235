// passkey-login's prepareSignIn over HTTP: the login page carries the passkey options the IdP fetched with the
// browser SDK's own two requests — or, when Authsignal answers something else, nothing (and one warning that
// never repeats the answer). What the options do in a browser: test/passkey-login-critical-paths.test.ts.
import Fastify from 'fastify'
import t from 'tap'
import { freePort } from './fixtures/emulator.js'
import { startStack } from './fixtures/idp.js'
import { beginLogin } from './fixtures/oidc-flows.js'

const attribute = (html: string): string[] => [...html.matchAll(/prepared-options="([^"]*)"/g)].map(m => m[1]!.replaceAll('&quot;', '"').replaceAll('&amp;', '&'))

t.test('the login page carries the challenge and options Authsignal answered, in both elements', async t => {
  const { idp, emulator } = await startStack(t, { idp: { passkeyLogin: { prepareSignIn: { deadlineMs: 5000 } } } })
  const start = await beginLogin(idp)
  const html = start.page.body
  const values = attribute(html)
  t.equal(values.length, 2, 'passkey-input and passkey-signin-button')
  t.equal(values[0], values[1], 'the same options')
  const prepared = JSON.parse(values[0]!) as { challengeId: string, options: { challenge: string, rpId: string, allowCredentials: unknown[] } }
  t.match(prepared, { challengeId: /^[\w-]+$/, options: { challenge: /^[\w-]{16,}$/, rpId: 'localhost' } })
  t.same(Object.keys(prepared), ['challengeId', 'options'], 'nothing but what the elements take')
  // A challenge of this tenant, recorded under the passkey action, waiting for its verification.
  const challenge = emulator.ctx.store.challenges.get(prepared.challengeId)
  t.match(challenge, { kind: 'authentication', actionCode: 'signInWithPasskey' })
  // Every page view gets its own.
  const again = attribute((await beginLogin(idp)).page.body)
  t.not(JSON.parse(again[0]!).challengeId, prepared.challengeId)
})

t.test('answers that are not options leave the page without them: one warning, never the answer', async t => {
  const answers: Array<[string, (path: string) => { status: number, body: string }]> = [
    ['a 500', () => ({ status: 500, body: '{"error":"boom"}' })],
    ['no challengeId', () => ({ status: 200, body: '{"id":"x"}' })],
    ['not JSON', () => ({ status: 200, body: '<html>secret-looking-page</html>' })],
    ['options without a challenge', path => ({ status: 200, body: path.endsWith('/challenge') ? '{"challengeId":"c1"}' : '{"challengeId":"c1","options":{"rpId":"x"}}' })],
    ['a challenge that is not base64url', path => ({ status: 200, body: path.endsWith('/challenge') ? '{"challengeId":"c1"}' : '{"challengeId":"c1","options":{"challenge":"<script>alert(1)</script>"}}' })],
    ['an answer of 100 KB', () => ({ status: 200, body: JSON.stringify({ challengeId: 'c'.repeat(100_000) }) })]
  ]
  for (const [name, answer] of answers) {
    const port = await freePort()
    const other = Fastify()
    other.post('/v1/*', async (request, reply) => {
      const { status, body } = answer(request.url)
      return await reply.code(status).type('application/json').send(body)
    })
    await other.listen({ port, host: 'localhost' })
    t.teardown(async () => { await other.close() })
    const logLines: string[] = []
    const { idp } = await startStack(t, { idp: { logLines, passkeyLogin: { prepareSignIn: { apiUrl: `http://localhost:${port}/v1` } } } })
    const start = await beginLogin(idp)
    t.equal(start.page.status, 200, `${name}: the page is served`)
    t.same(attribute(start.page.body), [], `${name}: without options`)
    const warnings = logLines.filter(line => line.includes('"event":"prepare-sign-in-failed"'))
    t.equal(warnings.length, 1, `${name}: one warning`)
    t.notMatch(warnings.join('\n'), /secret-looking|<script>|boom|cccccccc/, `${name}: the answer is not logged`)
  }
})
