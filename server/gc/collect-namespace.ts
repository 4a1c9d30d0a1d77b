/**
 * Retention and garbage collection of one namespace: plan which versions retention prunes (as of one JID), prune
 * them durably, then collect the chunk store, marking what the kept versions name (and, at the switch, what was
 * committed meanwhile). With `dryRun` nothing is written: the report says what a run would prune and reclaim.
 */
import type {CollectOptions, CollectReport} from '#src/store/collect-garbage.js'
import type {ServerStorage} from '../storage/types.js'
import {pathTouches} from './journal-history.js'
import {VersionMarker} from './mark-versions.js'
import {prunable} from './plan-retention.js'

export interface NamespaceGcReport extends CollectReport {
  namespace: string
  dryRun: boolean
  /** Versions pruned by this run (with dryRun: that it would prune). */
  prunedVersions: number
  durationMs: number
}

export async function collectNamespace(storage: ServerStorage, namespace: string, options: CollectOptions & {now: number}): Promise<NamespaceGcReport> {
  const started = Date.now()
  const {journal} = storage
  const upto = await journal.head(namespace)
  const policy = await storage.settings.retention(namespace)
  const pruned: number[] = []
  for (const touches of (await pathTouches(journal, namespace, upto)).values()) pruned.push(...prunable(touches, policy, options.now))
  const prunedVersions = options.dryRun ? pruned.length : await journal.prune(namespace, pruned)
  const chunks = await storage.chunks.namespace(namespace)
  const marker = new VersionMarker(journal, namespace, chunks)
  const skip = new Set(pruned)
  const report = await chunks.collect(
    {
      mark: (marks) => marker.mark(marks, 0, upto, skip),
      markLate: async (marks) => marker.mark(marks, upto, await journal.head(namespace)),
    },
    options,
  )
  return {namespace, dryRun: options.dryRun === true, prunedVersions, ...report, durationMs: Date.now() - started}
}
