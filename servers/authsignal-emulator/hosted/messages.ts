// What the hosted page says when it cannot go on: a title and a few sentences per refusal, in words a
// user can act on. Nothing here repeats a token or an internal error message.
import type { HostedErrorKind } from './entry.js'

export interface ErrorContent { title: string, paragraphs: string[] }

const START_AGAIN = 'Go back to the site you came from and sign in again.'

export function durationText (seconds: number): string {
  if (seconds % 60 !== 0) return `${seconds} seconds`
  const minutes = seconds / 60
  return minutes === 1 ? '1 minute' : `${minutes} minutes`
}

export function errorContent (kind: HostedErrorKind, facts: { ttlSeconds: number, origin?: string, returnHost?: string }): ErrorContent {
  switch (kind) {
    case 'expired-token':
      return { title: 'This link has expired', paragraphs: [`Sign-in links last ${durationText(facts.ttlSeconds)}.`, START_AGAIN] }
    case 'invalid-token':
      return { title: 'This link is not valid', paragraphs: ['The sign-in link is damaged or was not issued by this service.', START_AGAIN] }
    case 'redirect-missing':
      return {
        title: 'This sign-in cannot continue',
        paragraphs: ['It was started without a return address (redirectUrl), so there is nowhere to send you afterwards.', START_AGAIN]
      }
    case 'redirect-malformed':
      return {
        title: 'This sign-in cannot continue',
        paragraphs: ['Its return address (redirectUrl) is not a valid http or https address, so you will not be sent there.', START_AGAIN]
      }
    case 'redirect-not-allowed':
      return {
        title: 'This sign-in cannot continue',
        paragraphs: [
          `Its return address${facts.origin != null ? ` (on ${facts.origin})` : ''} is not one of the origins this service is configured to return to, so you will not be sent there.`,
          'If you run this site, add the origin to the expected origins.'
        ]
      }
    case 'action-closed':
      return {
        title: 'This sign-in cannot be completed',
        paragraphs: [`It was blocked or failed too many times.${facts.returnHost != null ? ` Return to ${facts.returnHost} and start again.` : ''}`]
      }
    case 'not-verified':
      return { title: 'Not verified yet', paragraphs: ['This sign-in has not been confirmed yet. Go back to the verification page to finish it.'] }
    case 'cross-site':
      return { title: 'Request refused', paragraphs: ['This form can only be sent from the verification page itself.', START_AGAIN] }
    case 'enroll-not-allowed':
      return {
        title: 'Setup not allowed here',
        paragraphs: ['This sign-in cannot add an authenticator to the account: the account already has one. Sign in with it first, then add another from your settings.']
      }
    case 'not-found':
      return { title: 'Page not found', paragraphs: ['There is nothing at this address.'] }
    case 'bad-request':
      return { title: 'This request is not valid', paragraphs: ['The link or form is incomplete or malformed.', START_AGAIN] }
    case 'unexpected':
      return { title: 'Something went wrong', paragraphs: ['The verification page ran into a problem. Try again in a moment.'] }
  }
}
