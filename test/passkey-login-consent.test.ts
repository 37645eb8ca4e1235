// Consent with oidc-provider as people configure it: for the host's first-party clients, passkey-login
// grants what they ask at sign-in (no consent prompt, no extra round trip) and finishes a consent prompt
// that arrives on its own (prompt=consent, SSO to another client); any other client's consent prompt ends
// on a page saying it cannot be finished here, and the log tells the developer what to do.
import t from 'tap'
import { MESSAGES } from 'fastify-passkey-login'
import { HttpSession } from './fixtures/http-session.js'
import { startStack, TEST_CLIENT, type Stack } from './fixtures/idp.js'
import { beginLogin, completeAtRp, enrollPasskey, passkeySignIn, postPasskeyToken, type Passkey } from './fixtures/oidc-flows.js'

const OTHER_CLIENT = { ...TEST_CLIENT, clientId: 'other-rp', clientSecret: 'other-rp-secret-0123456789abcdef', clientName: 'Other RP' }

async function withPasskey (t: Tap, firstParty: string[] | undefined): Promise<{ s: Stack, passkey: Passkey, logLines: string[] }> {
  const logLines: string[] = []
  const s = await startStack(t, { idp: { clients: [TEST_CLIENT, OTHER_CLIENT], logLines, ...(firstParty != null ? { passkeyLogin: { firstPartyClients: firstParty } } : {}) } })
  return { s, passkey: await enrollPasskey(s.emulator, 'alice', s.idp.origin), logLines }
}
type Tap = Parameters<typeof startStack>[0]

t.test('a first-party client: signed in with one interaction, its scopes granted, no consent page', async t => {
  const { s, passkey } = await withPasskey(t, undefined)
  const start = await beginLogin(s.idp)
  const posted = await postPasskeyToken(s.idp, start, await passkeySignIn(s.emulator, passkey))
  t.equal(posted.status, 303)
  const chain = await start.session.follow(posted, { stopAt: url => url.pathname === '/callback' })
  t.notOk(chain.chain.some(r => /\/interaction\/[\w-]+$/.test(new URL(r.url).pathname)), 'no second interaction (no consent prompt)')
  const { finishAuthorization } = await import('./fixtures/oidc-rp.js')
  const { claims, tokens } = await finishAuthorization(start.config, chain.stoppedAt as URL, start.pending)
  t.equal(claims.sub, 'alice')
  t.same(String(tokens.scope).split(' ').sort(), ['email', 'openid', 'profile'], 'every requested scope granted')
})

t.test('a first-party client asking for consent explicitly (prompt=consent): the consent given at sign-in answers it', async t => {
  const { s, passkey } = await withPasskey(t, undefined)
  const start = await beginLogin(s.idp, { extra: { prompt: 'login consent' } })
  const posted = await postPasskeyToken(s.idp, start, await passkeySignIn(s.emulator, passkey))
  const { claims } = await completeAtRp(start, posted)
  t.equal(claims.sub, 'alice')
})

t.test('single sign-on to a second first-party client: no password, no page, consent implied', async t => {
  const { s, passkey, logLines } = await withPasskey(t, undefined)
  const session = new HttpSession()
  const first = await beginLogin(s.idp, { session })
  await completeAtRp(first, await postPasskeyToken(s.idp, first, await passkeySignIn(s.emulator, passkey)))
  // The same browser, another client: oidc-provider's session signs in, the consent prompt is the plugin's.
  const { discover, startAuthorization, finishAuthorization } = await import('./fixtures/oidc-rp.js')
  const config = await discover(s.idp, OTHER_CLIENT)
  const pending = await startAuthorization(config, OTHER_CLIENT.redirectUris[0] ?? '')
  const result = await session.follow(pending.url, { stopAt: url => url.pathname === '/callback' })
  t.ok(result.stoppedAt != null, 'straight back to the client')
  t.ok(result.chain.some(r => /\/interaction\//.test(r.url)), 'through the consent interaction')
  t.ok(logLines.some(line => line.includes('"event":"consent"') && line.includes('other-rp')), 'the implied consent is logged')
  const { claims } = await finishAuthorization(config, result.stoppedAt as URL, pending)
  t.equal(claims.sub, 'alice')
})

t.test('a client that is not first-party: its consent prompt is refused in words, and the log names the option', async t => {
  const { s, passkey, logLines } = await withPasskey(t, ['some-other-client'])
  const start = await beginLogin(s.idp)
  const posted = await postPasskeyToken(s.idp, start, await passkeySignIn(s.emulator, passkey))
  t.equal(posted.status, 303, 'the login itself is finished')
  const chain = await start.session.follow(posted, { stopAt: url => url.pathname === '/callback' })
  t.equal(chain.stoppedAt, undefined, 'never reaches the client')
  const last = chain.response
  t.match(last.url, /\/interaction\/[\w-]+$/)
  t.equal(last.status, 400)
  t.match(last.body, MESSAGES.cannotFinish)
  t.equal(last.headers.get('cache-control'), 'no-store')
  t.ok(logLines.some(line => line.includes('"event":"consent-refused"') && line.includes('firstPartyClients')), 'the developer is told what to do')
})
