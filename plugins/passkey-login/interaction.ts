// The interaction helper every route uses: load this browser's interaction (bound by oidc-provider's
// path-scoped cookie; docs/security.md B2, F12), render the login page, and finish through oidc-provider,
// which alone decides where the browser goes next (B1: no open redirect).
import type { FastifyReply, FastifyRequest } from 'fastify'
import { negotiateLanguage, setContentSecurityPolicy, type ElementTags, type Language } from 'fastify-passkey-core'
import { errors as oidcErrors, type InteractionResults } from 'oidc-provider'
import { grantConsent, missingFromPrompt, requestedAtSignIn } from './consent.js'
import { FST_PASSKEY_LOGIN_CANNOT_FINISH, FST_PASSKEY_LOGIN_INTERACTION_NOT_FOUND } from './errors.js'
import { messagesFor, type MessageKey, type Messages } from './messages.js'
import type { LoginPageData, PasskeyLoginAccount, ResolvedOptions } from './options.js'
import type { Pages } from './pages.js'

export type Interaction = Awaited<ReturnType<ResolvedOptions['provider']['interactionDetails']>>
export interface UidParams { uid: string }
type UidRequest = FastifyRequest<{ Params: UidParams }>

export interface PageAssets {
  tags: ElementTags
  stylesheet: string
  /** Origins of the element scripts other than this server's (a CDN), for the page's CSP. */
  scriptOrigins: string[]
}

/** The page's language (from Accept-Language) and its words; pages vary by Accept-Language. */
export function wordsFor (options: ResolvedOptions, request: FastifyRequest, reply: FastifyReply): { lang: Language, text: Messages } {
  const lang = negotiateLanguage(request.headers['accept-language'])
  reply.header('vary', 'accept-language')
  return { lang, text: messagesFor(lang, options.messages) }
}

export interface Interactions {
  /** The interaction URL of a uid (host prefix included). */
  url (uid: string): string
  /** This browser's interaction at this URL, whatever its prompt. */
  load (request: UidRequest, reply: FastifyReply): Promise<Interaction>
  /** This browser's interaction at this URL, which must be asking for a login. */
  loadLogin (request: UidRequest, reply: FastifyReply): Promise<Interaction>
  render (request: FastifyRequest, reply: FastifyReply, interaction: Interaction, status: number, extra?: { error?: MessageKey, username?: string }): Promise<FastifyReply>
  /** Signs the account in: the login result, with consent for a first-party client, then a 303 to oidc-provider. */
  finish (request: FastifyRequest, reply: FastifyReply, interaction: Interaction, account: PasskeyLoginAccount, amr: string[], method: string): Promise<FastifyReply>
  /** Finishes a consent prompt for a first-party client; refuses any other. */
  finishConsent (request: FastifyRequest, reply: FastifyReply, interaction: Interaction): Promise<FastifyReply>
}

export function createInteractions (options: ResolvedOptions, pages: Pages, basePath: string, assets: PageAssets): Interactions {
  const { provider } = options
  const url = (uid: string): string => `${basePath}/${uid}`

  async function load (request: UidRequest, reply: FastifyReply): Promise<Interaction> {
    let interaction: Interaction
    try {
      interaction = await provider.interactionDetails(request.raw, reply.raw)
    } catch (error) {
      if (error instanceof oidcErrors.SessionNotFound) throw new FST_PASSKEY_LOGIN_INTERACTION_NOT_FOUND()
      throw error
    }
    // The cookie names the interaction; a uid in the URL that is not that one is refused (B2), as is an
    // interaction that already has its result (B3: a replayed callback after success).
    if (interaction.uid !== request.params.uid || interaction.result != null) throw new FST_PASSKEY_LOGIN_INTERACTION_NOT_FOUND()
    return interaction
  }

  async function clientName (interaction: Interaction): Promise<string | undefined> {
    const clientId = interaction.params['client_id']
    if (typeof clientId !== 'string') return undefined
    const client = await provider.Client.find(clientId)
    return typeof client?.clientName === 'string' ? client.clientName : undefined
  }

  /** The origin the browser ends up at after a finished sign-in (Chromium applies form-action to redirects). */
  function redirectOrigin (interaction: Interaction): string[] {
    try {
      return [new URL(String(interaction.params['redirect_uri'])).origin]
    } catch {
      return []
    }
  }

  /**
   * What `provider.interactionResult` does (the result, merged with the last submission or not, saved for
   * the interaction's remaining lifetime), on the interaction this request has already loaded and checked
   * (`load`): interactionResult would read its cookie and the store again. oidc-provider alone decides where
   * the browser goes next (`returnTo`, B1).
   */
  async function redirectToProvider (reply: FastifyReply, interaction: Interaction, result: InteractionResults, merge: boolean): Promise<FastifyReply> {
    interaction.result = merge ? { ...interaction.lastSubmission, ...result } : result
    await interaction.persist()
    // 303: the browser must GET the resume URL, never re-POST credentials to it (RFC 9700 §4.12).
    return await reply.redirect(interaction.returnTo, 303)
  }

  return {
    url,
    load,

    async loadLogin (request, reply) {
      const interaction = await load(request, reply)
      if (interaction.prompt.name !== 'login') throw new FST_PASSKEY_LOGIN_CANNOT_FINISH(interaction.prompt.name)
      return interaction
    },

    async render (request, reply, interaction, status, extra = {}) {
      const hint = interaction.params['login_hint']
      const { lang, text } = wordsFor(options, request, reply)
      // Fetched alongside the rest of the page's data, within its deadline (prepare-sign-in.ts).
      const [name, preparedOptions] = await Promise.all([clientName(interaction), options.prepareSignIn?.(request.log)])
      const data: LoginPageData = {
        lang,
        text,
        title: options.title ?? text.title,
        uid: interaction.uid,
        actions: { password: `${url(interaction.uid)}/login`, passkey: `${url(interaction.uid)}/passkey` },
        username: extra.username ?? (typeof hint === 'string' ? hint.slice(0, 256) : ''),
        ...(extra.error != null ? { error: text[extra.error] } : {}),
        ...(name != null ? { clientName: name } : {}),
        tenantId: options.tenantId,
        apiUrl: options.apiUrl,
        passkeyAction: options.actions.passkeySignIn,
        ...(preparedOptions != null ? { preparedOptions } : {}),
        scripts: assets.tags.scripts,
        preloads: assets.tags.preloads,
        stylesheet: assets.stylesheet
      }
      // This page's forms go to Authsignal's hosted page (password) and, through oidc-provider's
      // redirects, to the client (passkey); its elements call the Authsignal API (D3).
      setContentSecurityPolicy(reply, {
        script: assets.scriptOrigins,
        connect: [options.apiUrl],
        formAction: [options.hostedPageOrigin, ...redirectOrigin(interaction)]
      })
      reply.code(status)
      return await pages.login(request, reply, data)
    },

    async finish (request, reply, interaction, account, amr, method) {
      const result: InteractionResults = { login: { accountId: account.id, amr: [...new Set(amr)] } }
      const clientId = interaction.params['client_id']
      if (typeof clientId === 'string' && await options.isFirstParty(clientId)) {
        const { scopes, claims } = requestedAtSignIn(interaction)
        result['consent'] = { grantId: await grantConsent(provider, { accountId: account.id, clientId, grantId: interaction.grantId, scopes, claims, resourceScopes: {} }) }
      }
      request.log.info({ event: 'login', accountId: account.id, method }, 'passkey-login: signed in')
      return await redirectToProvider(reply, interaction, result, false)
    },

    async finishConsent (request, reply, interaction) {
      const clientId = interaction.params['client_id']
      const accountId = interaction.session?.accountId
      if (typeof clientId !== 'string' || accountId == null || !await options.isFirstParty(clientId)) {
        request.log.warn({ event: 'consent-refused', clientId }, 'passkey-login: a consent prompt for a client not in firstPartyClients; list it there if it is yours, or handle consent in a route of your own')
        throw new FST_PASSKEY_LOGIN_CANNOT_FINISH('consent')
      }
      const grantId = await grantConsent(provider, { accountId, clientId, grantId: interaction.grantId, ...missingFromPrompt(interaction) })
      request.log.info({ event: 'consent', accountId, clientId }, 'passkey-login: consent implied for a first-party client')
      return await redirectToProvider(reply, interaction, { consent: { grantId } }, true)
    }
  }
}
