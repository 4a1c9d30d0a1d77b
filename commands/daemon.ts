import {Flags} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {asSyncError} from '../cli/as-sync-error.js'
import {describeRepairAfter, repairFields} from '../cli/describe-repair.js'
import {describeEvent} from '../cli/describe-event.js'
import {describeGc} from '../cli/describe-gc.js'
import {withSyncer} from '#src/sync/with-syncer.js'
import {resolveServerSettings} from '#src/folder/server-settings.js'
import {type DaemonOptions, runDaemon} from '#src/sync/daemon.js'
import {DaemonStatusFile} from '#src/sync/daemon-status.js'
import {describeWatchLimit} from '#src/sync/watch-limit.js'
import {findRoot} from '#src/folder/find-root.js'
import {readConfig} from '#src/folder/config.js'
import {folderLayout} from '#src/folder/layout.js'
import {mountDir} from '#src/folder/mount-target.js'
import {type ClientNotice, describeNotice} from '#src/sync/client-notice.js'
import {isSyncError} from '#src/errors/index.js'
import {releaseDeadBuffersOften} from '#src/util/release-buffers.js'
import {keepYoungGenerationSmall} from '#src/util/young-generation.js'
import {type ActivityLine, ActivityLog} from '#src/daemon-ui/activity-log.js'
import {startDaemonUi} from '#src/daemon-ui/start-daemon-ui.js'
import {parseUiAddress} from '#src/daemon-ui/ui-address.js'
import {rateFlags, ratesOf} from '../cli/rate-flags.js'
import {prose} from '../cli/prose.js'

export default class Daemon extends SyncCommand {
  static override summary = 'Keep the folder in sync until stopped (Ctrl-C, SIGTERM): one line per change.'
  static override description = prose(`Watches the folder and sends each change a moment after it is saved; waits on the server for other
devices' changes and applies them as they come. With the server unreachable it keeps recording local changes
and retries with a growing delay (up to 30 s); it never exits on a network error. Stopping it lets a change in
flight finish. One sync process per folder: a second one is refused. 'sync pause' stops it syncing (it keeps
watching) until 'sync resume'; 'sync status' says what it is doing; 'sync restore' hands its work to it. Between
passes it collects garbage when the store is over 64 MB and over twice what its versions need (see 'sync gc'),
and carries out a 'sync gc' run meanwhile. A file with more than 4 MiB to send or receive moves in the
background on a connection of its own, so small edits in both directions keep syncing meanwhile; stopped
half-way, it resumes where it was at the next start. --limit-up and --limit-down (or 'sync config set limit-up
500k') cap the bytes per second of file contents. With --ui it serves a web page on a loopback address: the
folder's state, what is pending, conflict copies with a diff and "keep mine / keep theirs / keep both", recent
activity, pause and resume. The page needs the key in the link the daemon prints (also shown by 'sync status');
other addresses are refused.`)

  static override examples = [
    {description: 'Sync the current folder until stopped:', command: '<%= config.bin %> daemon'},
    {description: 'Another folder, full rescan every 5 minutes:', command: '<%= config.bin %> daemon -C ~/Recipes --rescan 300'},
    {description: 'Events as JSON, one object a line (NDJSON), for another program to follow:', command: '<%= config.bin %> daemon --json'},
    {description: "With its web page on a free port (it prints the page's link, with its key):", command: '<%= config.bin %> daemon --ui 127.0.0.1:0'},
    {description: 'Send at most 1 MiB/s of file contents, receive without a limit:', command: '<%= config.bin %> daemon --limit-up 1M --limit-down off'},
  ]

  static override flags = {
    rescan: Flags.integer({summary: 'Seconds between full rescans, at least 5 (the watcher catches changes in between).', min: 5, default: 60}),
    'unwatched-rescan': Flags.integer({
      summary: 'Seconds between full rescans while the OS will not watch the whole folder (inotify limits), at least 1.',
      min: 1,
      default: 10,
    }),
    debounce: Flags.integer({
      summary: 'Milliseconds to wait after a file event before syncing (small files whose writes look done: 2 ms).',
      min: 0,
      max: 10_000,
      default: 20,
    }),
    ui: Flags.string({
      summary: 'Serve a web page of the folder (state, pending, conflicts to settle, pause) on this loopback HOST:PORT (port 0: any free one).',
      helpValue: '127.0.0.1:PORT',
    }),
    ...rateFlags,
  }

  async run(): Promise<{stopped: true}> {
    const {flags} = await this.parse(Daemon)
    // Checked before anything starts: a refused address changes nothing.
    const uiAddress = flags.ui === undefined ? undefined : parseUiAddress(flags.ui)
    keepYoungGenerationSmall()
    releaseDeadBuffersOften()
    const controller = new AbortController()
    const stop = () => controller.abort()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    // With --json: one JSON object a line (NDJSON), each with its time; the last is {"stopped": true}.
    const json = this.jsonEnabled()
    const now = () => new Date().toISOString()
    // The web page's recent activity: the lines this log says.
    const activity = new ActivityLog()
    /** One thing to say: as a line of text (errors and warnings on stderr), or as its fields with --json. */
    const say = (text: string, fields: Record<string, unknown>, level: ActivityLine['level'] = 'info') => {
      activity.add(text, level)
      if (json) process.stdout.write(`${JSON.stringify({time: now(), ...fields})}\n`)
      else if (level === 'info') this.log(`${now()} ${text}`)
      else process.stderr.write(`${now()} ${level}: ${text}\n`)
    }
    const status = new DaemonStatusFile()
    const onNotice = (notice: ClientNotice) => say(describeNotice(notice), {...notice}, notice.type === 'client-too-old' ? 'warning' : 'info')
    /** The loop's options for one folder: what it says goes through `say`, prefixed with a mount's path. */
    const loopOptions = (sayHere: typeof say, status: DaemonStatusFile): DaemonOptions => ({
      signal: controller.signal,
      status,
      onPause: (paused) => sayHere(paused ? "paused ('sync resume' to sync again)" : 'resumed', {type: paused ? 'paused' : 'resumed'}),
      rescanMs: flags.rescan * 1000,
      debounceMs: flags.debounce,
      unwatchedRescanMs: flags['unwatched-rescan'] * 1000,
      onWatchLimit: (limit, every) =>
        sayHere(
          describeWatchLimit(limit, every),
          {type: 'watch-limit', message: describeWatchLimit(limit, every), setting: limit.setting, rescanMs: every},
          'warning',
        ),
      onGc: (cause, report) =>
        sayHere(`garbage collection (${cause === 'asked' ? "asked by 'sync gc'" : 'the store passed its threshold'}): ${describeGc(report)}`, {
          type: 'gc',
          cause,
          ...report,
        }),
      // A big transfer's progress (each MiB or so): for a program following the NDJSON, not for people reading the log.
      onTransfer: json ? (progress) => process.stdout.write(`${JSON.stringify({time: now(), type: 'transfer', ...progress})}\n`) : undefined,
      onRepair: (report, damage) => sayHere(describeRepairAfter(report, damage), {type: 'repair', ...repairFields(report, damage)}, 'warning'),
      onError: (raw, retryInMs) => {
        // As commands say it (a damaged store names its repair).
        const error = asSyncError(raw) ?? raw
        sayHere(
          `${error.message} (retrying in ${(retryInMs / 1000).toFixed(1)} s)`,
          {type: 'error', code: isSyncError(error) ? error.code : 'E_UNEXPECTED', message: error.message, retryInMs},
          'error',
        )
      },
    })
    /** One folder's daemon, until stopped: the outer folder's (with its web page, when asked) or a mount's. */
    const watch = (dir: string, mount: string | undefined, sayHere: typeof say, status: DaemonStatusFile) =>
      withSyncer(
        dir,
        {onEvent: (event) => sayHere(describeEvent(event), {...event}), onProgress: status.progress, onNotice, rates: ratesOf(flags), role: 'daemon'},
        async (syncer) => {
          const {url, namespace, prefix} = resolveServerSettings(syncer.folder.config)
          const what = `${namespace}${prefix === undefined ? '' : `:${prefix}`}`
          const watching = () =>
            sayHere(`watching ${syncer.folder.root} (server ${url}, namespace ${what})`, {
              type: 'watching',
              folder: syncer.folder.root,
              server: url,
              namespace,
              ...(prefix === undefined ? {} : {prefix}),
              ...(mount === undefined ? {} : {mount}),
            })
          const ui =
            mount === undefined && uiAddress && (await startDaemonUi({address: uiAddress, folder: syncer.folder, activity, daemon: () => status.current}))
          if (ui) {
            status.setUi(ui.url)
            // Said here only, not on the page's own activity list: the key is in it.
            const said = `web page: ${ui.link} (the key in it lets a browser change this folder: keep it to yourself)`
            if (json) process.stdout.write(`${JSON.stringify({time: now(), type: 'ui', url: ui.url, link: ui.link})}\n`)
            else this.log(`${now()} ${said}`)
          }
          try {
            await runDaemon(syncer, {...loopOptions(sayHere, status), onWatching: watching})
          } finally {
            if (ui) await ui.close()
          }
        },
      )
    const root = await findRoot(this.startDir(flags))
    const {mounts = []} = await readConfig(folderLayout(root).config)
    // Each mount is a synced folder of its own, with its own loop, lock and status; one that cannot start is said, not fatal.
    const mountLoop = async (path: string) => {
      const sayHere: typeof say = (text, fields, level) => say(`${path}: ${text}`, {mount: path, ...fields}, level)
      try {
        await watch(await mountDir(root, path), path, sayHere, new DaemonStatusFile())
      } catch (error) {
        if (!isSyncError(error)) throw error
        sayHere(error.message, {type: 'error', code: error.code, message: error.message}, 'error')
      }
    }
    // The outer folder's loop ending for good (failing to start, say), or any loop failing, stops them all; each
    // is let finish its pass before the command ends.
    const loops = [
      watch(root, undefined, say, status).finally(stop),
      ...mounts.map(({path}) => mountLoop(path).catch((error) => (stop(), Promise.reject(error)))),
    ]
    const failed = (await Promise.allSettled(loops)).find((r) => r.status === 'rejected')
    if (failed) throw failed.reason
    if (!json) this.log(`${now()} stopped`)
    return {stopped: true}
  }

  /** The result on one line, the last of the NDJSON stream. */
  override logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(json)}\n`)
  }
}
