/** A daemon (runDaemon, in process) on a test device, with test timings, stopped at teardown or earlier by `stop`. */
import type {ExecutionContext} from 'ava'
import {runDaemon, type DaemonOptions} from '#src/sync/daemon.js'
import type {Device} from './device.js'

export function startDaemon(t: ExecutionContext, device: Device, options: Partial<DaemonOptions> = {}) {
  const controller = new AbortController()
  const errors: string[] = []
  // No periodic rescan within a test: what a test sees arrived through the watcher or the long-poll.
  const running = runDaemon(device.syncer, {
    signal: controller.signal,
    debounceMs: 10,
    rescanMs: 3_600_000,
    waitSeconds: 5,
    minBackoffMs: 50,
    maxBackoffMs: 400,
    onError: (error) => errors.push(error.message),
    ...options,
  })
  const stop = async () => {
    controller.abort()
    await running
  }
  t.teardown(stop)
  return {errors, stop}
}
