/**
 * `sync-server namespace set NS --keep-days N --thin-days M` and `namespace show NS [--json]`: a namespace's
 * retention (server/storage/retention-policy.ts). Works while a server serves the data folder: its next
 * collection reads the settings anew.
 */
import {parseArgs} from 'node:util'
import {InvalidInputError, NotFoundError} from '#src/errors/index.js'
import {checkNamespace} from '#src/paths/validate-namespace.js'
import type {RetentionPolicy} from '../storage/retention-policy.js'
import {USAGE} from './usage.js'
import {STORAGE_FLAGS, withDataFolder} from './with-data-folder.js'

function days(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  if (!/^\d{1,6}$/.test(text)) throw new InvalidInputError(`${flag}: a whole number of days, not '${text}'`)
  return Number(text)
}

function print(namespace: string, policy: RetentionPolicy, json: boolean | undefined): void {
  process.stdout.write(
    json
      ? `${JSON.stringify({namespace, retention: policy}, null, 2)}\n`
      : `${namespace}: every version kept ${policy.keepDays} days, then one a day for ${policy.thinDays} days; current versions always\n`,
  )
}

export async function runNamespace(args: string[]): Promise<number> {
  const {values, positionals} = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...STORAGE_FLAGS,
      'keep-days': {type: 'string'},
      'thin-days': {type: 'string'},
      json: {type: 'boolean'},
      help: {type: 'boolean', short: 'h'},
    },
  })
  if (values.help) {
    process.stdout.write(USAGE.namespace)
    return 0
  }
  const [verb, namespace, ...extra] = positionals
  if ((verb !== 'set' && verb !== 'show') || namespace === undefined || extra.length > 0) {
    throw new InvalidInputError('namespace takes set NS or show NS (sync-server namespace --help)')
  }
  checkNamespace(namespace)
  const policy = await withDataFolder(`namespace ${verb}`, values, false, async (storage) => {
    if (verb === 'show') {
      if (!(await storage.tokens.namespaces()).includes(namespace)) throw new NotFoundError(`no namespace ${namespace}`, {namespace})
      return storage.settings.retention(namespace)
    }
    const changes = {keepDays: days('--keep-days', values['keep-days']), thinDays: days('--thin-days', values['thin-days'])}
    if (changes.keepDays === undefined && changes.thinDays === undefined) throw new InvalidInputError('namespace set needs --keep-days N or --thin-days M')
    return storage.settings.setRetention(namespace, Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)))
  })
  print(namespace, policy, values.json)
  return 0
}
