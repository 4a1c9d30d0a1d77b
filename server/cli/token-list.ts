/**
 * `sync-server token list`: every token's name, namespace, rights, when it was made and last used (ISO 8601, UTC),
 * as a table or JSON. Never a token or its hash. Reads the data folder while a server serves it (LMDB readers).
 */
import {parseArgs} from 'node:util'
import {checkNamespace} from '#src/paths/validate-namespace.js'
import type {TokenInfo} from '../storage/types.js'
import {USAGE} from './usage.js'
import {STORAGE_FLAGS, withDataFolder} from './with-data-folder.js'

interface TokenRow {
  name: string
  /** null for an admin token. */
  namespace: string | null
  rights: TokenInfo['rights']
  created: string
  /** null when never used. */
  lastUsed: string | null
}

function rowOf(info: TokenInfo): TokenRow {
  return {
    name: info.name,
    namespace: info.rights === 'admin' ? null : info.namespace,
    rights: info.rights,
    created: new Date(info.created).toISOString(),
    lastUsed: info.lastUsed === undefined ? null : new Date(info.lastUsed).toISOString(),
  }
}

function table(rows: TokenRow[]): string {
  const cells = [
    ['NAME', 'NAMESPACE', 'RIGHTS', 'CREATED', 'LAST USED'],
    ...rows.map((row) => [row.name, row.namespace ?? '-', row.rights, row.created, row.lastUsed ?? 'never']),
  ]
  const widths = cells[0].map((_, column) => Math.max(...cells.map((line) => line[column].length)))
  return cells
    .map(
      (line) =>
        line
          .map((cell, column) => cell.padEnd(widths[column]))
          .join('  ')
          .trimEnd() + '\n',
    )
    .join('')
}

export async function tokenList(args: string[]): Promise<number> {
  const {values} = parseArgs({
    args,
    options: {...STORAGE_FLAGS, namespace: {type: 'string'}, json: {type: 'boolean'}, help: {type: 'boolean', short: 'h'}},
  })
  if (values.help) {
    process.stdout.write(USAGE.token)
    return 0
  }
  if (values.namespace !== undefined) checkNamespace(values.namespace)
  const rows = (await withDataFolder('token list', values, false, async (storage) => storage.tokens.list(values.namespace))).map(rowOf)
  process.stdout.write(values.json ? `${JSON.stringify({tokens: rows}, null, 2)}\n` : table(rows))
  return 0
}
