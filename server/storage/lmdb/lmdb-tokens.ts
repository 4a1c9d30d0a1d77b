/**
 * Tokens in LMDB: `tokens` SHA-256(token) hex -> grant, so the data folder never holds a usable token;
 * `namespaces` name -> creation time; `token-revocations` one counter, bumped by every revocation (a serving
 * process polls it to end the requests of a token revoked by `sync-server token --revoke`).
 */
import {createHash} from 'node:crypto'
import type {Database, RootDatabase} from 'lmdb'
import {durableTransaction} from '../../../src/db/durable.js'
import {checkNamespace} from '../../../src/paths/validate-namespace.js'
import {newToken} from '../new-token.js'
import type {TokenGrant, TokenStorage} from '../types.js'

interface TokenRecord extends TokenGrant {
  created: number
}

/** Longer than any token we issue; nothing longer is worth hashing. */
const MAX_TOKEN_LENGTH = 256

const COUNTER = 'count'

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex')

export class LmdbTokens implements TokenStorage {
  private readonly tokens: Database<TokenRecord, string>
  private readonly names: Database<{created: number}, string>
  private readonly revoked: Database<number, string>

  constructor(private readonly env: RootDatabase) {
    this.tokens = env.openDB<TokenRecord, string>({name: 'tokens'})
    this.names = env.openDB<{created: number}, string>({name: 'namespaces'})
    this.revoked = env.openDB<number, string>({name: 'token-revocations'})
  }

  async create(namespace: string, readOnly: boolean): Promise<string> {
    checkNamespace(namespace)
    const token = newToken()
    const created = Date.now()
    await durableTransaction(this.env, () => {
      if (this.names.get(namespace) === undefined) this.names.putSync(namespace, {created})
      this.tokens.putSync(hashOf(token), {namespace, readOnly, created})
    })
    return token
  }

  async revoke(token: string): Promise<boolean> {
    if (token.length > MAX_TOKEN_LENGTH) return false
    const key = hashOf(token)
    return durableTransaction(this.env, () => {
      if (this.tokens.get(key) === undefined) return false
      this.revoked.putSync(COUNTER, this.revocations() + 1)
      return this.tokens.removeSync(key)
    })
  }

  revocations(): number {
    return this.revoked.get(COUNTER) ?? 0
  }

  lookup(token: string): TokenGrant | undefined {
    if (token.length > MAX_TOKEN_LENGTH) return undefined
    const record = this.tokens.get(hashOf(token))
    return record && {namespace: record.namespace, readOnly: record.readOnly}
  }

  namespaces(): string[] {
    return [...this.names.getKeys()]
  }
}
