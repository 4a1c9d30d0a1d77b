import {Args, Flags} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {decideHeld} from '../cli/decide-held.js'
import {describeEvent} from '../cli/describe-event.js'
import {folderPath, folderPrefix, isFolderArgument} from '../cli/folder-path.js'
import {runOrHand} from '../cli/run-or-hand.js'
import {EXIT, InvalidInputError} from '#src/errors/index.js'
import {findRoot} from '#src/folder/find-root.js'
import type {RestoreResult as Restored, RestoreTarget} from '#src/sync/restore.js'
import type {SyncEvent} from '#src/sync/sync-event.js'
import {prose} from '../cli/prose.js'

interface RestoreResult extends Restored {
  /** The pid of the running daemon that carried it out (or, with --held, carries it out). */
  handedTo?: number
}

export default class Restore extends SyncCommand {
  static override summary = 'Bring files back: an old version of a file, a folder as it was, what was deleted, or held deletions.'
  static override description = prose(`Every restore is a new change on top of what is there now, so the current versions stay in the history too.
Local changes are synced first, so nothing unsent is overwritten; files created after the version asked for are
left alone.
  PATH --jid N           version N of a file (see 'sync log PATH'), also of a deleted file
  DIR/ --jid N           every file of a folder as it was at jid N (DIR/ ends with '/'; '.' for the whole folder)
  --deleted-since JID    every file deleted after JID and still deleted (below DIR/ if given): undoes a mass delete
  --held                 the files whose deletion the delete guard is holding (see 'sync status'); with a daemon
                         running, it carries this out
  --kept ID              a version made on this device that a change from elsewhere replaced or deleted, kept
                         here for keep-days (see 'sync kept'); needs nothing of the server's history
With a daemon running, it carries the restore out between two of its passes and this command reports what it
did (waiting up to --wait seconds). A file edited here since the last pass is never overwritten: the edit is
sent first, so it stays in the history, or the file is left alone and named. A paused folder is not restored
(exit 18: 'sync resume' first).
Exit 11 when some files could not be written (named, with why).`)

  static override examples = [
    {description: "Bring back version 12 of a file (its versions: 'sync log Risotto.cook'):", command: '<%= config.bin %> restore Risotto.cook --jid 12'},
    {description: 'A folder as it was at jid 300:', command: '<%= config.bin %> restore Breakfast/ --jid 300'},
    {description: 'Undo every deletion since jid 4200:', command: '<%= config.bin %> restore --deleted-since 4200'},
    {description: 'Keep the files whose deletion is held:', command: '<%= config.bin %> restore --held'},
    {description: "Bring back version 3 of those kept on this device ('sync kept' lists them):", command: '<%= config.bin %> restore --kept 3'},
  ]

  static override args = {
    path: Args.string({description: 'File or folder (DIR/) in the synced folder, relative to the current folder.', ignoreStdin: true}),
  }

  static override flags = {
    jid: Flags.integer({summary: 'The version to bring back (a JID from sync log).', min: 1, exclusive: ['deleted-since', 'held', 'kept']}),
    'deleted-since': Flags.integer({summary: 'Bring back every file deleted after this JID.', min: 0, exclusive: ['jid', 'held', 'kept'], helpValue: 'JID'}),
    held: Flags.boolean({summary: 'Bring back the files whose deletion the delete guard holds.', exclusive: ['jid', 'deleted-since', 'kept']}),
    kept: Flags.integer({
      summary: 'Bring back a version kept on this device (an ID from sync kept), where it was.',
      min: 1,
      exclusive: ['jid', 'deleted-since', 'held'],
      helpValue: 'ID',
    }),
    wait: Flags.integer({summary: 'Seconds to wait for a running daemon to carry it out.', min: 1, default: 300, helpValue: 'SECONDS'}),
  }

  async run(): Promise<RestoreResult> {
    const {args, flags} = await this.parse(Restore)
    const startDir = this.startDir(flags)
    if (flags.held) {
      if (args.path !== undefined) throw new InvalidInputError('--held brings back every held file: give no PATH')
      return this.restoreHeld(startDir)
    }
    if (flags.kept !== undefined) {
      if (args.path !== undefined) throw new InvalidInputError('--kept ID brings the version back where it was kept from: give no PATH')
      const done = await runOrHand(startDir, {type: 'restore', target: {kind: 'kept', id: flags.kept}}, this.handing(flags.wait))
      this.log(`restored ${done.restored[0]} to the version kept here as ${flags.kept}, sent as jid ${done.jid}`)
      return done
    }
    if (flags['deleted-since'] === undefined && flags.jid === undefined)
      throw new InvalidInputError('say what to bring back: --jid N (with PATH), --deleted-since JID, --held or --kept ID')
    if (flags.jid !== undefined && args.path === undefined) throw new InvalidInputError('--jid N needs the PATH of a file, or DIR/ for a folder')
    const target = restoreTarget(await findRoot(startDir), startDir, args.path, flags)
    const done = await runOrHand(startDir, {type: 'restore', target}, this.handing(flags.wait))
    if (target.kind !== 'file') return this.report(done)
    this.log(`restored ${target.path} to version ${target.jid}, sent as jid ${done.jid}`)
    return done
  }

  private handing(waitSeconds: number) {
    return {onEvent: (event: SyncEvent) => this.log(describeEvent(event)), timeoutMs: waitSeconds * 1000}
  }

  private async restoreHeld(startDir: string): Promise<RestoreResult> {
    let restored: string[] = []
    const outcome = await decideHeld(
      startDir,
      (paths) => ({approve: [], restore: paths}),
      (syncer, paths) => {
        restored = syncer.holds.restore(paths)
      },
      (event) => this.log(describeEvent(event)),
    )
    if (outcome.held.length === 0) this.log('no deletions are held')
    else if (outcome.handedTo !== undefined)
      this.log(`bringing back ${outcome.held.length} files whose deletion was held; the sync process ${outcome.handedTo} carries it out`)
    else this.log(`brought back ${restored.length} files whose deletion was held`)
    return {
      restored: outcome.handedTo === undefined ? restored : outcome.held.map((h) => h.path),
      skipped: [],
      ...(outcome.handedTo === undefined ? {} : {handedTo: outcome.handedTo}),
    }
  }

  private report(outcome: RestoreResult): RestoreResult {
    this.log(`restored ${outcome.restored.length} files`)
    for (const {path: file, reason} of outcome.skipped) process.stderr.write(`not restored: ${file} (${reason})\n`)
    if (outcome.skipped.length > 0) process.exitCode = EXIT.notInSync
    return outcome
  }
}

/** What to restore, its paths as the journal names them. */
function restoreTarget(root: string, startDir: string, given: string | undefined, flags: {jid?: number; 'deleted-since'?: number}): RestoreTarget {
  if (flags['deleted-since'] !== undefined)
    return {kind: 'deleted-since', since: flags['deleted-since'], prefix: given === undefined ? '' : folderPrefix(root, given, startDir)}
  if (isFolderArgument(given!, startDir)) return {kind: 'folder', jid: flags.jid!, prefix: folderPrefix(root, given!, startDir)}
  return {kind: 'file', jid: flags.jid!, path: folderPath(root, given!, startDir)}
}
