/** `sync-server token revoke NAME --namespace NS` (or `--admin`): refused from then on, by a running server too. */
import {parseArgs} from 'node:util'
import {InvalidInputError, NotFoundError} from '#src/errors/index.js'
import {checkNamespace} from '#src/paths/validate-namespace.js'
import {checkTokenName} from '../storage/token-name.js'
import {USAGE} from './usage.js'
import {STORAGE_FLAGS, withDataFolder} from './with-data-folder.js'

export async function tokenRevoke(args: string[]): Promise<number> {
  const {values, positionals} = parseArgs({
    args,
    allowPositionals: true,
    options: {...STORAGE_FLAGS, namespace: {type: 'string'}, admin: {type: 'boolean'}, help: {type: 'boolean', short: 'h'}},
  })
  if (values.help) {
    process.stdout.write(USAGE.token)
    return 0
  }
  if (positionals.length !== 1) throw new InvalidInputError('token revoke needs one NAME (sync-server token list shows them)')
  if ((values.namespace === undefined) === (values.admin !== true)) throw new InvalidInputError('token revoke needs either --namespace NS or --admin')
  const name = checkTokenName(positionals[0])
  const namespace = values.namespace === undefined ? undefined : checkNamespace(values.namespace)
  const revoked = await withDataFolder('token revoke', values, false, (storage) => storage.tokens.revokeByName(name, namespace))
  if (!revoked) {
    const where = namespace === undefined ? 'among the admin tokens' : `in namespace ${namespace}`
    throw new NotFoundError(`no token named ${name} ${where} (sync-server token list shows them)`, {name, namespace})
  }
  return 0
}
