/**
 * `sync-server token`: `create`, `list` and `revoke` (token-*.ts), and the first form, kept for the scripts that
 * use it: `token --namespace NS [--read-only]` makes a token named after its hash, `token --revoke TOKEN` revokes
 * one by the token itself.
 */
import {parseArgs} from 'node:util'
import {InvalidInputError, NotFoundError} from '#src/errors/index.js'
import {tokenCreate} from './token-create.js'
import {tokenList} from './token-list.js'
import {tokenRevoke} from './token-revoke.js'
import {USAGE} from './usage.js'
import {STORAGE_FLAGS, withDataFolder} from './with-data-folder.js'

const VERBS = new Map([
  ['create', tokenCreate],
  ['list', tokenList],
  ['revoke', tokenRevoke],
])

async function firstForm(args: string[]): Promise<number> {
  const {values} = parseArgs({
    args,
    options: {
      ...STORAGE_FLAGS,
      namespace: {type: 'string'},
      'read-only': {type: 'boolean'},
      revoke: {type: 'string'},
      help: {type: 'boolean', short: 'h'},
    },
  })
  if (values.help) {
    process.stdout.write(USAGE.token)
    return 0
  }
  const {namespace, revoke} = values
  if (namespace !== undefined && revoke !== undefined) throw new InvalidInputError('token takes --namespace NS or --revoke TOKEN, not both')
  if (revoke !== undefined) {
    if (!(await withDataFolder('token', values, false, (storage) => storage.tokens.revoke(revoke)))) throw new NotFoundError('no such token')
    return 0
  }
  if (namespace === undefined) throw new InvalidInputError('token needs create, list or revoke (sync-server token --help)')
  const scope = {rights: values['read-only'] ? 'read-only' : 'read-write', namespace} as const
  process.stdout.write(`${(await withDataFolder('token', values, true, (storage) => storage.tokens.create(scope))).token}\n`)
  return 0
}

export function runToken(args: string[]): Promise<number> {
  const verb = VERBS.get(args[0])
  return verb ? verb(args.slice(1)) : firstForm(args)
}
