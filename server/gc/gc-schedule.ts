/**
 * Garbage collection inside a serving process (`sync-server --gc-every 24h`): every namespace in turn, while the
 * server keeps serving (collect-garbage.ts holds off commits for the index switch only). Runs never overlap; each
 * is reported to the operator and in the metrics (bytes reclaimed, last run, duration).
 */
import type {ServerMetrics} from '../metrics.js'
import type {ServerStorage} from '../storage/types.js'
import {runGc, type GcOptions} from './run-gc.js'

export interface GcSchedule {
  /** Stops the timer and waits for a run under way. */
  stop(): Promise<void>
}

/** One run, reported. Never throws: a failed run is a notice and a count. */
export async function runScheduledGc(
  storage: ServerStorage,
  metrics: ServerMetrics,
  notice: (message: string) => void,
  options: GcOptions = {},
): Promise<void> {
  const started = performance.now()
  try {
    for (const report of await runGc(storage, options)) {
      metrics.gcReclaimed.inc(Math.max(0, report.bytesBefore - report.bytesAfter))
      metrics.gcPruned.inc(report.prunedVersions)
      notice(`gc ${report.namespace}: pruned ${report.prunedVersions} versions, ${report.bytesBefore} -> ${report.bytesAfter} bytes in ${report.durationMs} ms`)
    }
  } catch (error) {
    metrics.gcFailures.inc()
    notice(`gc stopped: ${(error as Error).message}`)
  } finally {
    metrics.gcDuration.set((performance.now() - started) / 1000)
    metrics.gcLastRun.set(Date.now() / 1000)
  }
}

export function scheduleGc(
  storage: ServerStorage,
  metrics: ServerMetrics,
  {everyMs, graceMs}: {everyMs: number; graceMs?: number},
  notice: (message: string) => void,
): GcSchedule {
  let running: Promise<void> | undefined
  const timer = setInterval(() => {
    running ??= runScheduledGc(storage, metrics, notice, {graceMs}).finally(() => (running = undefined))
  }, everyMs)
  timer.unref()
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
