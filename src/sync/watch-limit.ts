/**
 * When the OS will not watch the folder: Linux's inotify has per-user limits on watches (one per folder,
 * `fs.inotify.max_user_watches`) and on instances (`fs.inotify.max_user_instances`). Reached, the watcher cannot
 * see changes, so the daemon says so (log and status, with the sysctl that raises the limit) and finds changes
 * by full rescans at a short interval instead. (An overflowing event queue is not reported by @parcel/watcher,
 * which drops IN_Q_OVERFLOW: the regular full rescan bounds what such a loss can delay.)
 */
export interface WatchLimit {
  /** The sysctl that raises the limit. */
  setting: 'fs.inotify.max_user_watches' | 'fs.inotify.max_user_instances'
  /** What the OS said. */
  message: string
}

/** Values that fit large trees; the kernel's default watches are 8,192 on older systems. */
const SUGGESTED: Record<WatchLimit['setting'], number> = {'fs.inotify.max_user_watches': 524_288, 'fs.inotify.max_user_instances': 1024}

/** The limit `error` (from @parcel/watcher or fs.watch) says was reached, if it is one. */
export function watchLimitOf(error: unknown): WatchLimit | undefined {
  const message = (error as Error)?.message ?? ''
  const code = (error as NodeJS.ErrnoException)?.code
  // inotify_add_watch fails with ENOSPC at the watch limit; inotify_init with EMFILE at the instance limit.
  if (code === 'ENOSPC' || /No space left on device|limit for number of file watchers/i.test(message)) return {setting: 'fs.inotify.max_user_watches', message}
  if (code === 'EMFILE' || /Too many open files/i.test(message)) return {setting: 'fs.inotify.max_user_instances', message}
  return undefined
}

/** One line for the log and for status. */
export function describeWatchLimit(limit: WatchLimit, rescanMs: number): string {
  const what = limit.setting === 'fs.inotify.max_user_watches' ? 'watches' : 'watchers'
  return (
    `not watching every folder: the system's limit of inotify ${what} is reached (${limit.message}); ` +
    `changes are found by a full rescan every ${rescanMs / 1000} s instead. ` +
    `Raise it: sudo sysctl ${limit.setting}=${SUGGESTED[limit.setting]} (and put it in /etc/sysctl.d/ to keep it)`
  )
}
