// Fastify's default Ajv settings coerce and strip: `{"redirectUrl": 42}` becomes "42" and unknown body
// fields are silently removed (`removeAdditional: true`), so a schema's `additionalProperties: false`
// never refuses anything. Bodies here are validated as sent: no coercion, nothing removed. Query
// strings and path parameters are text on the wire, so they keep scalar coercion (`?limit=5` → 5),
// but a repeated parameter (an array) is still refused by a `type: 'string'` schema (checklist F6).
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
