/**
 * Tokens in LMDB: `tokens` SHA-256(token) hex -> record, so the data folder never holds a usable token;
 * `namespaces` name -> creation time; `token-revocations` one counter, bumped by every revocation (a serving
 * process polls it to end the requests of a token revoked by `sync-server token revoke`). Names are found by a
 * scan of `tokens`: there are a few per namespace (one a device), and only the admin verbs look a name up.
 */
import {createHash} from 'node:crypto'
import type {Database, RootDatabase} from 'lmdb'
import {durableTransaction} from '#src/db/durable.js'
import {NameTakenError} from '#src/errors/index.js'
import {checkNamespace} from '#src/paths/validate-namespace.js'
import {newToken} from '../new-token.js'
import {checkTokenName, generatedName} from '../token-name.js'
import type {TokenGrant, TokenInfo, TokenScope, TokenStorage} from '../types.js'

/**
 * A token as stored. `name`, `admin` and `lastUsed` came after the first records: a record without `name` is read
 * with the name derived from its hash (generatedName), one without `admin` is a namespace's, one without
 * `lastUsed` was never used since. Old records read as they are, so the data folder's format (FORMATS.serverData)
 * stays 1. An admin record has no namespace: a version before admin tokens lets it read /metrics and no namespace.
 */
type TokenRecord = {created: number; name?: string; lastUsed?: number} & ({namespace: string; readOnly: boolean; admin?: undefined} | {admin: true})

/** Longer than any token we issue; nothing longer is worth hashing. */
const MAX_TOKEN_LENGTH = 256

const COUNTER = 'count'

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex')

/** The namespace a token is scoped to; undefined for an admin token. */
const namespaceOf = (scope: TokenScope): string | undefined => (scope.rights === 'admin' ? undefined : scope.namespace)

function grantOf(hash: string, record: TokenRecord): TokenGrant {
  const name = record.name ?? generatedName(hash)
  if (record.admin) return {rights: 'admin', name}
  return {rights: record.readOnly ? 'read-only' : 'read-write', namespace: record.namespace, name}
}

function recordOf(scope: TokenScope, name: string, created: number): TokenRecord {
  if (scope.rights === 'admin') return {admin: true, name, created}
  return {namespace: scope.namespace, readOnly: scope.rights === 'read-only', name, created}
}

/** Admin tokens first, then by namespace and name. */
const sortKey = (info: TokenInfo): string => `${namespaceOf(info) ?? ''}\u0000${info.name}`

export class LmdbTokens implements TokenStorage {
  private readonly tokens: Database<TokenRecord, string>
  private readonly names: Database<{created: number}, string>
  private readonly revoked: Database<number, string>

  constructor(private readonly env: RootDatabase) {
    this.tokens = env.openDB<TokenRecord, string>({name: 'tokens'})
    this.names = env.openDB<{created: number}, string>({name: 'namespaces'})
    this.revoked = env.openDB<number, string>({name: 'token-revocations'})
  }

  async create(scope: TokenScope, name?: string): Promise<TokenGrant & {token: string}> {
    if (name !== undefined) checkTokenName(name)
    const namespace = namespaceOf(scope)
    if (namespace !== undefined) checkNamespace(namespace)
    const created = Date.now()
    // A generated name that happens to be taken is drawn again with a new token; a given one is refused.
    for (;;) {
      const token = newToken()
      const hash = hashOf(token)
      const chosen = name ?? generatedName(hash)
      const made = await durableTransaction(this.env, () => {
        if (this.hashNamed(chosen, namespace) !== undefined) return false
        if (namespace !== undefined && this.names.get(namespace) === undefined) this.names.putSync(namespace, {created})
        this.tokens.putSync(hash, recordOf(scope, chosen, created))
        return true
      })
      if (made) return {...scope, name: chosen, token}
      if (name !== undefined) {
        const where = namespace === undefined ? 'among the admin tokens' : `in namespace ${namespace}`
        throw new NameTakenError(`a token named ${name} exists ${where}: revoke it first, or pick another name`, {name, namespace})
      }
    }
  }

  async revoke(token: string): Promise<boolean> {
    if (token.length > MAX_TOKEN_LENGTH) return false
    const hash = hashOf(token)
    return durableTransaction(this.env, () => this.tokens.get(hash) !== undefined && this.remove(hash))
  }

  async revokeByName(name: string, namespace: string | undefined): Promise<boolean> {
    return durableTransaction(this.env, () => {
      const hash = this.hashNamed(name, namespace)
      return hash !== undefined && this.remove(hash)
    })
  }

  async revocations(): Promise<number> {
    return this.revocationCount()
  }

  private revocationCount(): number {
    return this.revoked.get(COUNTER) ?? 0
  }

  async lookup(token: string): Promise<TokenGrant | undefined> {
    if (token.length > MAX_TOKEN_LENGTH) return undefined
    const hash = hashOf(token)
    const record = this.tokens.get(hash)
    return record && grantOf(hash, record)
  }

  async list(namespace?: string): Promise<TokenInfo[]> {
    const infos: TokenInfo[] = []
    for (const {key, value} of this.tokens.getRange()) {
      const info: TokenInfo = {...grantOf(key, value), created: value.created}
      if (value.lastUsed !== undefined) info.lastUsed = value.lastUsed
      if (namespace === undefined || namespaceOf(info) === namespace) infos.push(info)
    }
    return infos.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1))
  }

  async markUsed(uses: ReadonlyMap<string, number>): Promise<void> {
    if (uses.size === 0) return
    await durableTransaction(this.env, () => {
      for (const [token, at] of uses) {
        if (token.length > MAX_TOKEN_LENGTH) continue
        const hash = hashOf(token)
        const record = this.tokens.get(hash)
        if (record && !(record.lastUsed !== undefined && record.lastUsed >= at)) this.tokens.putSync(hash, {...record, lastUsed: at})
      }
    })
  }

  async namespaces(): Promise<string[]> {
    return [...this.names.getKeys()]
  }

  /** Inside a write transaction: the hash of the token named `name` in `namespace` (undefined: an admin token's). */
  private hashNamed(name: string, namespace: string | undefined): string | undefined {
    for (const {key, value} of this.tokens.getRange()) {
      const grant = grantOf(key, value)
      if (grant.name === name && namespaceOf(grant) === namespace) return key
    }
    return undefined
  }

  /** Inside a write transaction: removes a stored token and moves the revocation counter. */
  private remove(hash: string): boolean {
    this.revoked.putSync(COUNTER, this.revocationCount() + 1)
    return this.tokens.removeSync(hash)
  }
}
