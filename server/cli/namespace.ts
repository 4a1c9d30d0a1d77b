/**
 * `sync-server namespace set NS [--keep-days N] [--thin-days M] [--quota SIZE]` and `namespace show NS [--json]`:
 * a namespace's retention (server/storage/retention-policy.ts) and quota (server/storage/namespace-quota.ts), and
 * what its packs take. Works while a server serves the data folder: its next collection reads the retention
 * anew, and its routes the quota within seconds (server/http/quotas.ts).
 */
import {parseArgs} from 'node:util'
import {InvalidInputError, NotFoundError} from '#src/errors/index.js'
import {checkNamespace} from '#src/paths/validate-namespace.js'
import {formatSize, parseQuota} from '../storage/namespace-quota.js'
import type {RetentionPolicy} from '../storage/retention-policy.js'
import {USAGE} from './usage.js'
import {STORAGE_FLAGS, withDataFolder} from './with-data-folder.js'

function days(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  if (!/^\d{1,6}$/.test(text)) throw new InvalidInputError(`${flag}: a whole number of days, not '${text}'`)
  return Number(text)
}

interface NamespaceSettings {
  retention: RetentionPolicy
  quota: number | undefined
  used: number
}

function print(namespace: string, {retention, quota, used}: NamespaceSettings, json: boolean | undefined): void {
  const share = quota === undefined ? '' : ` (${Math.round((100 * used) / quota)}%)`
  process.stdout.write(
    json
      ? `${JSON.stringify({namespace, retention, quota: quota ?? null, used}, null, 2)}\n`
      : `${namespace}: every version kept ${retention.keepDays} days, then one a day for ${retention.thinDays} days; current versions always\n` +
          `quota: ${quota === undefined ? 'none' : formatSize(quota)}; its packs take ${formatSize(used)}${share}\n`,
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
      quota: {type: 'string'},
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
  const settings = await withDataFolder(`namespace ${verb}`, values, false, async (storage): Promise<NamespaceSettings> => {
    if (verb === 'show') {
      if (!(await storage.tokens.namespaces()).includes(namespace)) throw new NotFoundError(`no namespace ${namespace}`, {namespace})
    } else {
      const changes = {keepDays: days('--keep-days', values['keep-days']), thinDays: days('--thin-days', values['thin-days'])}
      const quota = values.quota === undefined ? undefined : parseQuota(values.quota)
      if (changes.keepDays === undefined && changes.thinDays === undefined && quota === undefined) {
        throw new InvalidInputError('namespace set needs --keep-days N, --thin-days M or --quota SIZE')
      }
      if (quota !== undefined) await storage.settings.setQuota(namespace, quota)
      const retention = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined))
      if (Object.keys(retention).length > 0) await storage.settings.setRetention(namespace, retention)
    }
    return {
      retention: await storage.settings.retention(namespace),
      quota: await storage.settings.quota(namespace),
      used: (await (await storage.chunks.namespace(namespace)).usage()).bytes,
    }
  })
  print(namespace, settings, values.json)
  return 0
}
