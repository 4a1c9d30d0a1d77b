/**
 * `sync-server gc` and the scheduled run inside a server: retention and garbage collection of every namespace
 * (or one), one after another. The defaults: packs under half live are rewritten; packs written in the last hour
 * are left alone (their chunks may be on their way to a commit).
 */
import {NotFoundError} from '#src/errors/index.js'
import type {ServerStorage} from '../storage/types.js'
import {collectNamespace, type NamespaceGcReport} from './collect-namespace.js'

export interface GcOptions {
  namespace?: string
  dryRun?: boolean
  /** The clock retention reads (tests move it forward instead of waiting for days). */
  now?: number
  graceMs?: number
  rewriteBelow?: number
}

export const GC_DEFAULTS = {graceMs: 60 * 60 * 1000, rewriteBelow: 0.5}

export async function runGc(storage: ServerStorage, options: GcOptions = {}): Promise<NamespaceGcReport[]> {
  const all = await storage.tokens.namespaces()
  if (options.namespace !== undefined && !all.includes(options.namespace))
    throw new NotFoundError(`no namespace ${options.namespace}`, {namespace: options.namespace})
  const reports: NamespaceGcReport[] = []
  for (const namespace of options.namespace === undefined ? all : [options.namespace]) {
    reports.push(
      await collectNamespace(storage, namespace, {
        dryRun: options.dryRun,
        now: options.now ?? Date.now(),
        graceMs: options.graceMs ?? GC_DEFAULTS.graceMs,
        rewriteBelow: options.rewriteBelow ?? GC_DEFAULTS.rewriteBelow,
      }),
    )
  }
  return reports
}
