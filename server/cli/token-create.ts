/** `sync-server token create`: a token for a namespace's device, or an admin token; prints the token (or JSON). */
import {parseArgs} from 'node:util'
import {InvalidInputError} from '#src/errors/index.js'
import type {TokenScope} from '../storage/types.js'
import {USAGE} from './usage.js'
import {STORAGE_FLAGS, withDataFolder} from './with-data-folder.js'

function scopeOf(values: {namespace?: string; 'read-only'?: boolean; admin?: boolean; device?: string}): TokenScope {
  if (values.admin) {
    if (values.namespace !== undefined || values['read-only']) throw new InvalidInputError('an admin token has no --namespace and no --read-only')
    return {rights: 'admin'}
  }
  if (values.namespace === undefined) throw new InvalidInputError('token create needs --namespace NS (or --admin)')
  if (values.device === undefined) throw new InvalidInputError('token create needs --device NAME: the device the token is for')
  return {rights: values['read-only'] ? 'read-only' : 'read-write', namespace: values.namespace}
}

export async function tokenCreate(args: string[]): Promise<number> {
  const {values} = parseArgs({
    args,
    options: {
      ...STORAGE_FLAGS,
      namespace: {type: 'string'},
      device: {type: 'string'},
      'read-only': {type: 'boolean'},
      admin: {type: 'boolean'},
      json: {type: 'boolean'},
      help: {type: 'boolean', short: 'h'},
    },
  })
  if (values.help) {
    process.stdout.write(USAGE.token)
    return 0
  }
  const scope = scopeOf(values)
  const made = await withDataFolder('token create', values, true, (storage) => storage.tokens.create(scope, values.device))
  if (!values.json) process.stdout.write(`${made.token}\n`)
  else {
    const namespace = made.rights === 'admin' ? null : made.namespace
    process.stdout.write(`${JSON.stringify({name: made.name, namespace, rights: made.rights, token: made.token}, null, 2)}\n`)
  }
  return 0
}
