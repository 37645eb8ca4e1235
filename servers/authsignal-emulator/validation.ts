// Request bodies are validated as sent. Fastify's default Ajv coerces (`{"redirectUrl": 42}` becomes "42")
// and silently strips unknown fields (`removeAdditional`), so `additionalProperties: false` would refuse
// nothing. Query strings and path parameters are text on the wire and keep scalar coercion (`?limit=5`).
// (The Fastify plugins have the same rule in fastify-passkey-core; this server depends on none of them.)
import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

const common: Options = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false }

export function strictValidatorCompiler (): FastifySchemaCompiler<unknown> {
  const asSent = new Ajv({ ...common, coerceTypes: false })
  const fromText = new Ajv({ ...common, coerceTypes: true })
  addFormats.default(asSent)
  addFormats.default(fromText)
  return ({ schema, httpPart }) => (httpPart === 'body' ? asSent : fromText).compile(schema as object)
}
