// passkey-login's password step: what it does with Authsignal's answer to `track`, as a table (the pure
// function the route calls; the route's own tests drive the same cases over HTTP).
import t from 'tap'
import { decidePasswordStep, type PasswordDecision } from 'fastify-passkey-login'

const KEY = '3f1c3b1e-0d8a-4b53-9a4c-4d2b1c0e9f11'
const URL_OK = 'https://as.example/challenge?token=abc'

t.test('every answer of track has one decision', async t => {
  const rows: Array<[string, unknown, 'enroll' | 'optional', PasswordDecision]> = [
    ['allowed, enrolled', { idempotencyKey: KEY, state: 'ALLOW', isEnrolled: true }, 'enroll', { kind: 'allow' }],
    ['allowed, not enrolled, MFA optional', { idempotencyKey: KEY, state: 'ALLOW', isEnrolled: false }, 'optional', { kind: 'allow' }],
    ['allowed, not enrolled, MFA enforced: enroll on the hosted page', { idempotencyKey: KEY, state: 'ALLOW', isEnrolled: false, url: URL_OK }, 'enroll', { kind: 'enroll', url: URL_OK }],
    ['allowed, enrollment unknown, MFA enforced: enroll', { idempotencyKey: KEY, state: 'ALLOW', url: URL_OK }, 'enroll', { kind: 'enroll', url: URL_OK }],
    ['challenge required', { idempotencyKey: KEY, state: 'CHALLENGE_REQUIRED', isEnrolled: true, url: URL_OK }, 'enroll', { kind: 'challenge', url: URL_OK }],
    ['challenge required, MFA optional', { idempotencyKey: KEY, state: 'CHALLENGE_REQUIRED', isEnrolled: true, url: URL_OK }, 'optional', { kind: 'challenge', url: URL_OK }],
    ['blocked', { idempotencyKey: KEY, state: 'BLOCK', url: URL_OK }, 'enroll', { kind: 'refused', state: 'BLOCK' }],
    ['review required', { idempotencyKey: KEY, state: 'REVIEW_REQUIRED' }, 'optional', { kind: 'refused', state: 'REVIEW_REQUIRED' }],
    ['an unknown state', { idempotencyKey: KEY, state: 'SOMETHING_NEW' }, 'enroll', { kind: 'refused', state: 'SOMETHING_NEW' }],
    ['no state', { idempotencyKey: KEY }, 'optional', { kind: 'refused', state: 'undefined' }],
    ['another action\'s answer', { idempotencyKey: 'other', state: 'ALLOW', isEnrolled: true }, 'enroll', { kind: 'unusable', reason: 'other-action' }],
    ['no idempotency key', { state: 'ALLOW', isEnrolled: true }, 'enroll', { kind: 'unusable', reason: 'other-action' }],
    ['not an object', 'ALLOW', 'enroll', { kind: 'unusable', reason: 'other-action' }],
    ['null', null, 'enroll', { kind: 'unusable', reason: 'other-action' }],
    ['challenge without a URL', { idempotencyKey: KEY, state: 'CHALLENGE_REQUIRED' }, 'enroll', { kind: 'unusable', reason: 'bad-url' }],
    ['challenge with a relative URL', { idempotencyKey: KEY, state: 'CHALLENGE_REQUIRED', url: '/challenge' }, 'enroll', { kind: 'unusable', reason: 'bad-url' }],
    ['challenge with a javascript: URL', { idempotencyKey: KEY, state: 'CHALLENGE_REQUIRED', url: 'javascript:alert(1)' }, 'enroll', { kind: 'unusable', reason: 'bad-url' }],
    ['challenge with a data: URL', { idempotencyKey: KEY, state: 'CHALLENGE_REQUIRED', url: 'data:text/html,x' }, 'enroll', { kind: 'unusable', reason: 'bad-url' }],
    ['enrollment with a URL that is not a string', { idempotencyKey: KEY, state: 'ALLOW', isEnrolled: false, url: 42 }, 'enroll', { kind: 'unusable', reason: 'bad-url' }]
  ]
  for (const [name, answer, mfaPolicy, expected] of rows) {
    t.same(decidePasswordStep(answer, { idempotencyKey: KEY, mfaPolicy }), expected, name)
  }
})

t.test('the URL handed back is the one Authsignal named, normalised', async t => {
  const decision = decidePasswordStep({ idempotencyKey: KEY, state: 'CHALLENGE_REQUIRED', url: 'HTTPS://AS.example:443/challenge?token=abc' }, { idempotencyKey: KEY, mfaPolicy: 'enroll' })
  t.same(decision, { kind: 'challenge', url: 'https://as.example/challenge?token=abc' })
})
