/** A daemon's activity (src/sync/daemon-status.ts) as `sync status` says it. */
import type {DaemonActivity} from '#src/sync/daemon-status.js'

export function describeDaemon(activity: DaemonActivity, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - activity.since) / 1000))
  const files = (n: number | undefined) => `${n ?? 0} ${n === 1 ? 'file' : 'files'}`
  switch (activity.state) {
    case 'scanning':
      return activity.total === undefined ? 'scanning the folder' : `scanning the folder (${activity.done ?? 0} of ${files(activity.total)})`
    case 'receiving':
      return `receiving ${files(activity.total)}`
    case 'sending':
      return `sending ${files(activity.total)}`
    case 'paused':
      return `paused for ${seconds} s`
    case 'offline':
      return `waiting for the server to answer (for ${seconds} s)`
    case 'idle':
      return `idle for ${seconds} s`
  }
}
