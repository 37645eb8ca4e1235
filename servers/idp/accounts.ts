// The demo IdP's accounts: an in-memory directory with scrypt password hashes. The account id is the
// OIDC `sub` and the Authsignal userId. Password checks take the same work for unknown usernames
// (a dummy hash is verified), so timing does not tell which usernames exist (checklist E2).
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import type { AccountHooks, PasskeyLoginAccount } from 'fastify-passkey-login'

const scrypt = async (password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> =>
  await new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFKC'), salt, keylen, options, (error, key) => { if (error != null) reject(error); else resolve(key) })
  })

// 16 MiB of memory per hash (N·r·128): within Node's default scrypt maxmem.
const PARAMS = { N: 16384, r: 8, p: 1 }
const KEY_LENGTH = 32

export interface AccountRecord {
  id: string
  username: string
  /** `scrypt$N$r$p$salt$hash` (base64url salt and hash). */
  passwordHash: string
  name?: string
  email?: string
  active?: boolean
}

export interface AccountSeed {
  id: string
  username: string
  /** Plain password, hashed at start (tests); or give `passwordHash`. */
  password?: string
  passwordHash?: string
  name?: string
  email?: string
  active?: boolean
}

/** The demo accounts: alice/alice and bob/bob, stored hashed. */
export const DEMO_ACCOUNTS: AccountSeed[] = [
  {
    id: 'alice',
    username: 'alice',
    passwordHash: 'scrypt$16384$8$1$DiZ7UWgfW-y9LYhbm6KS1Q$pA0NJiT4eEqO_0gijg75ojQMvcw2k-o_WvV6Ti217Yk',
    name: 'Alice Example',
    email: 'alice@example.com'
  },
  {
    id: 'bob',
    username: 'bob',
    passwordHash: 'scrypt$16384$8$1$ITB8R0GVIhbJDWjJSG159Q$GDCF9_lurLR0hYnqBm0rzKi12bYBPUPKENhcPeQbOAc',
    name: 'Bob Example',
    email: 'bob@example.com'
  }
]

export async function hashPassword (password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scrypt(password, salt, KEY_LENGTH, PARAMS)
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

export async function verifyPasswordHash (encoded: string, password: string): Promise<boolean> {
  const parts = encoded.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [N, r, p] = parts.slice(1, 4).map(Number)
  const salt = Buffer.from(parts[4], 'base64url')
  const expected = Buffer.from(parts[5], 'base64url')
  const key = await scrypt(password, salt, expected.length, { N, r, p })
  return timingSafeEqual(key, expected)
}

export interface AccountDirectory extends AccountHooks {
  findByUsername (username: string): AccountRecord | undefined
  get (id: string): AccountRecord | undefined
}

export async function createAccountDirectory (seeds: AccountSeed[] = DEMO_ACCOUNTS): Promise<AccountDirectory> {
  const byId = new Map<string, AccountRecord>()
  const byUsername = new Map<string, AccountRecord>()
  for (const seed of seeds) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(seed.id)) throw new TypeError(`account id ${JSON.stringify(seed.id)} must match ^[A-Za-z0-9_-]{1,64}$`)
    const passwordHash = seed.passwordHash ?? (seed.password != null ? await hashPassword(seed.password) : undefined)
    if (passwordHash == null) throw new TypeError(`account ${seed.id} needs a password or a passwordHash`)
    const record: AccountRecord = { id: seed.id, username: seed.username, passwordHash, name: seed.name, email: seed.email, active: seed.active ?? true }
    byId.set(record.id, record)
    byUsername.set(record.username.toLowerCase(), record)
  }
  // Verified when the username is unknown, so both paths cost one scrypt.
  const dummyHash = await hashPassword(randomBytes(16).toString('base64url'))
  const present = (record: AccountRecord): PasskeyLoginAccount => ({
    id: record.id, username: record.username, ...(record.email != null ? { email: record.email } : {}), active: record.active !== false
  })

  return {
    get: id => byId.get(id),
    findByUsername: username => byUsername.get(username.toLowerCase()),
    async findById (id) {
      const record = byId.get(id)
      return record == null ? undefined : present(record)
    },
    async verifyPassword (username, password) {
      const record = byUsername.get(username.toLowerCase())
      const ok = await verifyPasswordHash(record?.passwordHash ?? dummyHash, password)
      return ok && record != null ? present(record) : undefined
    }
  }
}
