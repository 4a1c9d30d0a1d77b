/** A daemon (runDaemon) for a test device, in this process, stopped at the test's end; returns the errors it reports. */
import type {ExecutionContext} from 'ava'
import {type DaemonOptions, runDaemon} from '#src/sync/daemon.js'
import type {Device} from './device.js'

export function startDaemon(t: ExecutionContext, device: Device, options: Partial<DaemonOptions> = {}): string[] {
  const errors: string[] = []
  const controller = new AbortController()
  // No periodic rescan within a test: what a test sees arrived through the watcher or the long-poll.
  const running = runDaemon(device.syncer, {
    signal: controller.signal,
    debounceMs: 10,
    rescanMs: 3_600_000,
    waitSeconds: 5,
    minBackoffMs: 50,
    maxBackoffMs: 400,
    onError: (e) => errors.push(e.message),
    ...options,
  })
  t.teardown(async () => {
    controller.abort()
    await running
  })
  return errors
}
