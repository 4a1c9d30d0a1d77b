/**
 * Tokens in PostgreSQL: `tokens` keyed by SHA-256(token) hex (the database never holds a usable token),
 * `namespaces`, and the `revocations` row of `counters`, moved by every revocation. `lookup` is on every request's
 * path, so grants are cached in memory; the cache is dropped whenever the revocation counter moves, which is read
 * at most once per REVALIDATE_MS (and by every Revocations poll): a token revoked through any instance stops
 * working on every other within that. A miss is never cached (a token made elsewhere works at once).
 */
import {createHash} from 'node:crypto'
import type pg from 'pg'
import {NameTakenError} from '#src/errors/index.js'
import {checkNamespace} from '#src/paths/validate-namespace.js'
import {coalesced} from '#src/util/coalesced.js'
import {newToken} from '../new-token.js'
import {checkTokenName, generatedName} from '../token-name.js'
import type {TokenGrant, TokenInfo, TokenScope, TokenStorage} from '../types.js'
import {inTransaction} from './transaction.js'

const MAX_TOKEN_LENGTH = 256
/** How stale the cache may be: a revocation elsewhere reaches this instance's lookups within this. */
export const REVALIDATE_MS = 200
const UNIQUE_VIOLATION = '23505'

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex')

interface TokenRow {
  hash: string
  namespace: string | null
  rights: TokenGrant['rights']
  name: string
  created: string
  last_used: string | null
}

function grantOf(row: TokenRow): TokenGrant {
  return row.rights === 'admin' ? {rights: 'admin', name: row.name} : {rights: row.rights, namespace: row.namespace!, name: row.name}
}

export class PgTokens implements TokenStorage {
  private readonly cache = new Map<string, TokenGrant>()
  private counter: number | undefined
  private checkedAt = 0
  private readonly revalidate = coalesced(async () => {
    await this.revocations()
  })

  constructor(private readonly pool: pg.Pool) {}

  async create(scope: TokenScope, name?: string): Promise<TokenGrant & {token: string}> {
    if (name !== undefined) checkTokenName(name)
    const namespace = scope.rights === 'admin' ? null : checkNamespace(scope.namespace)
    const created = Date.now()
    for (;;) {
      const token = newToken()
      const hash = hashOf(token)
      const chosen = name ?? generatedName(hash)
      try {
        await inTransaction(this.pool, async (client) => {
          if (namespace !== null) await client.query('INSERT INTO namespaces (name, created) VALUES ($1, $2) ON CONFLICT DO NOTHING', [namespace, created])
          await client.query('INSERT INTO tokens (hash, namespace, rights, name, created) VALUES ($1, $2, $3, $4, $5)', [
            hash,
            namespace,
            scope.rights,
            chosen,
            created,
          ])
        })
        return {...scope, name: chosen, token}
      } catch (error) {
        if ((error as {code?: string}).code !== UNIQUE_VIOLATION) throw error
        // A generated name that happens to be taken is drawn again with a new token; a given one is refused.
        if (name !== undefined) {
          const where = namespace === null ? 'among the admin tokens' : `in namespace ${namespace}`
          throw new NameTakenError(`a token named ${name} exists ${where}: revoke it first, or pick another name`, {name, namespace: namespace ?? undefined})
        }
      }
    }
  }

  async revoke(token: string): Promise<boolean> {
    if (token.length > MAX_TOKEN_LENGTH) return false
    return this.remove('hash = $1', [hashOf(token)])
  }

  async revokeByName(name: string, namespace: string | undefined): Promise<boolean> {
    return this.remove(`name = $1 AND coalesce(namespace, '') = $2`, [name, namespace ?? ''])
  }

  /** Deletes the matching token and moves the counter, in one transaction. */
  private async remove(where: string, values: unknown[]): Promise<boolean> {
    const removed = await inTransaction(this.pool, async (client) => {
      const {rows} = await client.query<{hash: string}>(`DELETE FROM tokens WHERE ${where} RETURNING hash`, values)
      if (rows.length > 0) await client.query(`UPDATE counters SET value = value + 1 WHERE name = 'revocations'`)
      return rows
    })
    for (const {hash} of removed) this.cache.delete(hash)
    return removed.length > 0
  }

  async revocations(): Promise<number> {
    const {rows} = await this.pool.query(`SELECT value FROM counters WHERE name = 'revocations'`)
    const value = Number(rows[0].value)
    if (value !== this.counter) this.cache.clear()
    this.counter = value
    this.checkedAt = Date.now()
    return value
  }

  async lookup(token: string): Promise<TokenGrant | undefined> {
    if (token.length > MAX_TOKEN_LENGTH) return undefined
    if (Date.now() - this.checkedAt >= REVALIDATE_MS) await this.revalidate()
    const hash = hashOf(token)
    const cached = this.cache.get(hash)
    if (cached) return cached
    const counter = this.counter
    const {rows} = await this.pool.query<TokenRow>('SELECT * FROM tokens WHERE hash = $1', [hash])
    if (rows.length === 0) return undefined
    const grant = grantOf(rows[0])
    // Not kept when a revocation was seen meanwhile: the row read may be the revoked token's.
    if (counter === this.counter) this.cache.set(hash, grant)
    return grant
  }

  async list(namespace?: string): Promise<TokenInfo[]> {
    const {rows} = await this.pool.query<TokenRow>(
      `SELECT * FROM tokens WHERE $1::text IS NULL OR namespace = $1 ORDER BY coalesce(namespace, '') COLLATE "C", name COLLATE "C"`,
      [namespace ?? null],
    )
    return rows.map((row) => {
      const info: TokenInfo = {...grantOf(row), created: Number(row.created)}
      if (row.last_used !== null) info.lastUsed = Number(row.last_used)
      return info
    })
  }

  async markUsed(uses: ReadonlyMap<string, number>): Promise<void> {
    const hashes: string[] = []
    const times: number[] = []
    for (const [token, at] of uses) {
      if (token.length > MAX_TOKEN_LENGTH) continue
      hashes.push(hashOf(token))
      times.push(at)
    }
    if (hashes.length === 0) return
    await this.pool.query(
      `UPDATE tokens t SET last_used = u.at FROM unnest($1::text[], $2::bigint[]) AS u(hash, at)
       WHERE t.hash = u.hash AND (t.last_used IS NULL OR t.last_used < u.at)`,
      [hashes, times],
    )
  }

  async namespaces(): Promise<string[]> {
    const {rows} = await this.pool.query<{name: string}>('SELECT name FROM namespaces ORDER BY name')
    return rows.map((row) => row.name)
  }
}
