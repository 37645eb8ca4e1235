// Option checks at boot, shared by both plugins so the same kind of option has the same shape and the same
// words (the @fastify/* way: validate first, fail with a coded error naming the option, then default with ??).
// Unknown keys are refused: a misspelt `ratelimit` must not silently leave the limit at its default.
import { isAbsolute } from 'node:path'
import type { FastifyErrorConstructor } from '@fastify/error'

export type OptionError = FastifyErrorConstructor<{ code: string }, [string, string]>

export interface RateLimitOptions {
  /** Requests allowed per key and window. */
  max?: number
  /** The window, in ms. */
  timeWindowMs?: number
}

export interface ElementsOptions {
  /** Serve the built elements from the installed `passkey-elements` package. @default true */
  serve?: boolean
  /** URL path they are served under (leading and trailing `/`). @default '/passkey-elements/' */
  prefix?: string
  /**
   * Where pages load them from instead, e.g. a CDN or the host's own static files holding the package's
   * `dist/` (absolute URL or path, ending in `/`). Implies `serve: false`.
   */
  baseUrl?: string
}

export interface ResolvedElements {
  serve: boolean
  /** Path the plugin serves under (when `serve`). */
  prefix: string
  /** What pages put before each file name: the prefix, or `baseUrl`. */
  base: string
}

export const DEFAULT_ELEMENTS_PREFIX = '/passkey-elements/'

/** The checks, each throwing `error(name, problem)`. */
export function optionChecks (error: OptionError) {
  const fail = (name: string, problem: string): Error => new error(name, problem)

  const checks = {
    fail,

    /** An object with only the given keys. */
    object (name: string, value: unknown, keys: readonly string[]): Record<string, unknown> {
      if (value == null || typeof value !== 'object' || Array.isArray(value)) throw fail(name, 'must be an object')
      const unknown = Object.keys(value).filter(key => !keys.includes(key))
      if (unknown.length > 0) throw fail(name === 'options' ? unknown[0] as string : `${name}.${unknown[0] as string}`, `is not an option (known: ${keys.join(', ')})`)
      return value as Record<string, unknown>
    },

    integer (name: string, value: unknown, fallback: number, min: number, max: number): number {
      const v = value ?? fallback
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw fail(name, `must be an integer from ${min} to ${max}`)
      return v
    },

    boolean (name: string, value: unknown, fallback: boolean): boolean {
      const v = value ?? fallback
      if (typeof v !== 'boolean') throw fail(name, 'must be a boolean')
      return v
    },

    string (name: string, value: unknown, fallback: string | undefined, rule: RegExp, ruleWords: string): string {
      const v = value ?? fallback
      if (typeof v !== 'string' || !rule.test(v)) throw fail(name, `must be ${ruleWords}`)
      return v
    },

    oneOf<T extends string> (name: string, value: unknown, fallback: T, allowed: readonly T[]): T {
      const v = value ?? fallback
      if (!allowed.includes(v as T)) throw fail(name, `must be ${allowed.map(a => JSON.stringify(a)).join(' or ')}`)
      return v as T
    },

    fn<F> (name: string, value: unknown): F {
      if (typeof value !== 'function') throw fail(name, 'must be a function')
      return value as F
    },

    /** An object with these methods (a client or a store). */
    methods<T> (name: string, value: unknown, methods: readonly string[], what: string): T {
      if (value == null || methods.some(m => typeof (value as Record<string, unknown>)[m] !== 'function')) {
        throw fail(name, `must be ${what} (${methods.map(m => `${m}()`).join(', ')})`)
      }
      return value as T
    },

    httpUrl (name: string, value: unknown): URL {
      if (typeof value !== 'string') throw fail(name, 'must be an absolute http(s) URL')
      let url: URL
      try { url = new URL(value) } catch { throw fail(name, 'must be an absolute http(s) URL') }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw fail(name, 'must be an absolute http(s) URL')
      return url
    },

    /** A bare http(s) origin such as `https://app.example.com`. */
    origin (name: string, value: unknown): string {
      const url = checks.httpUrl(name, value)
      if (url.origin !== String(value).replace(/\/$/, '')) throw fail(name, 'must be a bare origin such as https://app.example.com')
      return url.origin
    },

    /** A path on this server: `/` then letters, digits, `-`, `_`, `.`, `~`, `/`; normalised with or without a trailing slash. */
    path (name: string, value: unknown, fallback: string, trailingSlash: boolean): string {
      const v = value ?? fallback
      if (typeof v !== 'string' || !/^\/[A-Za-z0-9._~\-/]*$/.test(v) || v.includes('//') || v.split('/').some(s => s === '.' || s === '..')) {
        throw fail(name, 'must be a path starting with "/" (letters, digits, "-", "_", ".", "~", "/")')
      }
      if (trailingSlash) return v.endsWith('/') ? v : `${v}/`
      return v.length > 1 && v.endsWith('/') ? v.slice(0, -1) : v
    },

    /** An eta template file (absolute path) or a render function. */
    view<F> (name: string, value: unknown): string | F | undefined {
      if (value == null || typeof value === 'function') return value as F | undefined
      if (typeof value === 'string' && isAbsolute(value)) return value
      throw fail(name, 'must be an absolute path to an eta template or a render function')
    },

    /** `false`, or `{ max, timeWindowMs, …extra }` with defaults. */
    rateLimit<E extends Record<string, number>> (name: string, value: unknown, defaults: { max: number, timeWindowMs: number } & E): false | ({ max: number, timeWindowMs: number } & E) {
      if (value === false) return false
      const given = checks.object(name, value ?? {}, Object.keys(defaults))
      const resolved: Record<string, number> = {}
      for (const [key, fallback] of Object.entries(defaults)) {
        resolved[key] = key === 'timeWindowMs'
          ? checks.integer(`${name}.${key}`, given[key], fallback, 1000, 86_400_000)
          : checks.integer(`${name}.${key}`, given[key], fallback, 1, 1_000_000)
      }
      return resolved as { max: number, timeWindowMs: number } & E
    },

    /** A redis:// URL, or a client with the commands the stores use (an ioredis client). */
    redis (name: string, value: unknown): string | object | undefined {
      if (value == null) return undefined
      if (typeof value === 'string') {
        if (!/^rediss?:\/\//.test(value)) throw fail(name, 'must be a redis:// or rediss:// URL, or an ioredis client')
        return value
      }
      return checks.methods<object>(name, value, ['get', 'set', 'del', 'eval'], 'a redis:// URL or an ioredis client')
    },

    elements (name: string, value: unknown): ResolvedElements {
      const given = checks.object(name, value ?? {}, ['serve', 'prefix', 'baseUrl'])
      const prefix = checks.path(`${name}.prefix`, given['prefix'], DEFAULT_ELEMENTS_PREFIX, true)
      if (given['baseUrl'] == null) return { serve: checks.boolean(`${name}.serve`, given['serve'], true), prefix, base: prefix }
      const baseUrl = given['baseUrl']
      const isPath = typeof baseUrl === 'string' && baseUrl.startsWith('/') && !baseUrl.startsWith('//')
      if (!isPath) checks.httpUrl(`${name}.baseUrl`, baseUrl)
      if (typeof baseUrl !== 'string' || !baseUrl.endsWith('/')) throw fail(`${name}.baseUrl`, 'must end with "/"')
      if (given['serve'] === true) throw fail(`${name}.serve`, 'cannot be true with baseUrl (the files come from there)')
      return { serve: false, prefix, base: baseUrl }
    }
  }
  return checks
}
