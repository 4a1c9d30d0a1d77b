/**
 * `sync-server gc`: retention and garbage collection of a data folder that no server serves (one that serves it
 * runs its own: --gc-every). Holds the data folder's lock meanwhile, so no server starts on it. With --db, runs
 * beside the serving instances.
 */
import path from 'node:path'
import {parseArgs} from 'node:util'
import {DataFolderBusyError, InvalidInputError} from '#src/errors/index.js'
import {checkNamespace} from '#src/paths/validate-namespace.js'
import {takePidLock} from '#src/util/pid-lock.js'
import type {NamespaceGcReport} from '../gc/collect-namespace.js'
import {GC_DEFAULTS, runGc} from '../gc/run-gc.js'
import {parseDuration} from './duration.js'
import {USAGE} from './usage.js'
import {STORAGE_FLAGS, withDataFolder} from './with-data-folder.js'

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`

function line(report: NamespaceGcReport): string {
  const verb = report.dryRun ? 'would prune' : 'pruned'
  return (
    `${report.namespace}: ${verb} ${report.prunedVersions} versions; ${report.liveChunks} of ${report.chunks} chunks live; ` +
    `${report.rewrittenPacks} packs rewritten, ${report.deletedPacks} deleted, ${report.orphanPacks} left by a crash deleted; ` +
    `${mb(report.bytesBefore)} -> ${mb(report.bytesAfter)}${report.dryRun ? ' (estimate)' : ''} in ${report.durationMs} ms\n`
  )
}

export async function runGcVerb(args: string[]): Promise<number> {
  const {values} = parseArgs({
    args,
    options: {
      ...STORAGE_FLAGS,
      namespace: {type: 'string'},
      'dry-run': {type: 'boolean'},
      grace: {type: 'string'},
      json: {type: 'boolean'},
      help: {type: 'boolean', short: 'h'},
    },
  })
  if (values.help) {
    process.stdout.write(USAGE.gc)
    return 0
  }
  if (values.namespace !== undefined) checkNamespace(values.namespace)
  const graceMs = values.grace === undefined ? GC_DEFAULTS.graceMs : parseDuration('--grace', values.grace)
  const collect = async () => {
    const reports = await withDataFolder('gc', values, false, (storage) => runGc(storage, {namespace: values.namespace, dryRun: values['dry-run'], graceMs}))
    process.stdout.write(values.json ? `${JSON.stringify({namespaces: reports}, null, 2)}\n` : reports.map(line).join(''))
    return 0
  }
  // On PostgreSQL, serving instances and this run take turns by the database's locks (storage/postgres/pg-chunks.ts).
  if ((values.db ?? process.env.SYNC_SERVER_DB) !== undefined) return collect()
  const data = values.data ?? process.env.SYNC_SERVER_DATA
  if (!data) throw new InvalidInputError('gc needs --data DIR (or --db URL --blobs URL)')
  const busy = (pid: number) => new DataFolderBusyError(data, pid, 'it collects its own garbage (--gc-every)')
  const lock = await takePidLock(path.join(data, 'server.lock'), busy)
  try {
    return await collect()
  } finally {
    await lock.release()
  }
}
