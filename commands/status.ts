import {SyncCommand} from '../cli/base-command.js'
import {describeEvent} from '../cli/describe-event.js'
import {shownPath} from '#src/util/shown-path.js'
import {describeHolds} from '#src/sync/describe-holds.js'
import {type FolderStatus} from '#src/sync/folder-status.js'
import {describeMount, mountStatuses, statusOf, type MountStatus} from '../cli/mount-status.js'
import {describeWatchLimit} from '#src/sync/watch-limit.js'
import {describeDaemon} from '../cli/describe-daemon.js'
import {describeNotice} from '#src/sync/client-notice.js'
import {prose} from '../cli/prose.js'

export default class Status extends SyncCommand {
  static override summary = 'Show what is pending: local changes to send, remote ones to apply, conflicts, the last error.'
  static override description = prose(`Changes nothing (safe while a daemon runs). Local changes are found by size and time, as git status
does; remote ones by reading the journal after this folder's cursor. Conflict copies are listed until you delete
them. Asks the server briefly: "reachable" tells whether it answered. With a daemon running, says what it is doing
(idle, scanning, receiving or sending N files, paused, waiting for the server) and the link of its web page
(sync daemon --ui); says when the folder is paused, when the server knows a newer client (with the command
that installs it), and which nested synced folders it skips. Lists the folder's mounts ('sync mount'), each with its
namespace (and sub-tree), whether it is read-only, and what it has to send, keep or receive.`)

  static override examples = [
    {description: 'What is pending here?', command: '<%= config.bin %> status'},
    {description: 'For a script or a status bar:', command: "<%= config.bin %> status --json | jq '.pendingUploads | length'"},
  ]

  async run(): Promise<FolderStatus & {mounts?: MountStatus[]}> {
    const {flags} = await this.parse(Status)
    const status = await this.withFolder(flags, async (folder): Promise<FolderStatus & {mounts?: MountStatus[]}> => {
      const here = await statusOf(folder)
      return folder.config.mounts?.length ? {...here, mounts: await mountStatuses(folder.root, folder.config.mounts)} : here
    })
    this.log(`folder ${status.root} (device ${status.device})`)
    if (status.server) {
      const where = `${status.server.url} namespace ${status.server.namespace}`
      this.log(
        status.server.reachable
          ? `server ${where}: reachable, ${status.server.head === undefined ? '' : `journal at jid ${status.server.head}, `}folder at jid ${status.cursor}`
          : `server ${where}: NOT reachable (folder at jid ${status.cursor})`,
      )
    } else this.log('server: none configured (sync init --server URL --namespace NS --token TOKEN)')
    if (status.encrypted) this.log('end-to-end encrypted: the server sees sealed names and contents only (key in .sync/keys.json)')
    if (status.clientTooOld) this.log(describeNotice({type: 'client-too-old', message: status.clientTooOld}))
    if (status.newerClient) this.log(describeNotice({type: 'newer-client', ...status.newerClient}))
    if (status.pausedSince !== undefined) this.log(`paused since ${new Date(status.pausedSince).toISOString()}: nothing syncs until 'sync resume'`)
    this.log(status.daemon ? `daemon (pid ${status.daemon.pid}): ${describeDaemon(status.daemon)}` : 'daemon: not running')
    if (status.daemon?.ui) this.log(`web page: ${status.uiLink ?? `${status.daemon.ui} (its key is in the daemon's output)`}`)
    const section = (title: string, lines: string[]) => {
      this.log(`${title}: ${lines.length}`)
      for (const line of lines.slice(0, 50)) this.log(`  ${line}`)
      if (lines.length > 50) this.log(`  ... and ${lines.length - 50} more (--json lists all)`)
    }
    section(
      status.readOnly ? 'kept here, read-only (the token cannot write; not sent)' : 'to send',
      status.pendingUploads.map((u) => `${u.change.padEnd(8)} ${shownPath(u.path)}`),
    )
    section('to receive', status.pendingDownloads.map(shownPath))
    section('conflict copies', status.conflicts.map(shownPath))
    if (status.kept > 0)
      this.log(`kept here: ${status.kept} version${status.kept === 1 ? '' : 's'} written here and replaced from elsewhere ('sync kept' lists them)`)
    section(
      'unreadable',
      status.unreadable.map((u) => `${shownPath(u.path)} (${u.reason})`),
    )
    const where = {here: 'not sent', server: 'refused from the server', disk: 'not written here', up: 'not taken by the server'}
    section(
      'cannot sync',
      status.blocked.map((b) => `${shownPath(b.path)} (${where[b.side]}: ${b.reason})`),
    )
    for (const path of status.nested) this.log(describeEvent({direction: 'up', type: 'nested', path}))
    for (const {event} of describeHolds(status.held.filter((h) => h.why !== 'read-only'))) this.log(describeEvent(event))
    if (status.watchLimit) this.log(`daemon: ${describeWatchLimit(status.watchLimit, status.watchLimit.rescanMs)}`)
    if (status.lastError) this.log(`last error: ${status.lastError.message} (${new Date(status.lastError.time).toISOString()})`)
    for (const mount of status.mounts ?? []) this.log(describeMount(mount))
    return status
  }
}
