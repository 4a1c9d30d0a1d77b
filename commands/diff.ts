import {Args, Flags} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {newestSide, sideInfo, versionSide, workingSide, type SideInfo} from '../cli/diff-sides.js'
import {folderPath} from '../cli/folder-path.js'
import {hunksJson, type HunkJson} from '../cli/hunks-json.js'
import {withJournal} from '../cli/with-journal.js'
import {write} from '../cli/write-lines.js'
import {detectKind} from '#src/chunk/file-kind.js'
import {lineHunks} from '#src/diff/line-hunks.js'
import {binaryDiff, unifiedDiff} from '#src/diff/unified-diff.js'
import {EXIT, InvalidInputError} from '#src/errors/index.js'
import {noHistoryError} from '#src/sync/find-version.js'
import {prose} from '../cli/prose.js'

interface DiffResult {
  path: string
  from: SideInfo
  to: SideInfo
  same: boolean
  binary: boolean
  hunks: HunkJson[]
}

export default class Diff extends SyncCommand {
  static override summary = 'Show how two versions of a file differ, as a unified diff.'
  static override description = prose(`With no --jid: the newest version in the journal against the working file.
With one --jid A: version A against the working file. With two, --jid A --jid B: version A against version B.
The output is git's unified diff ('diff --git', then '--- a/PATH<TAB>jid A', '+++ b/PATH<TAB>working file', hunks),
which 'patch -p1' applies. A side that does not exist (a deleted file, one not on the server) is /dev/null.
Binary files (by the folder's text/binary rules, as sync chunks them) print 'Binary files ... differ' with their
sizes. Identical sides print nothing.
Exit 0 whether or not they differ; with --exit-code, 1 when they differ (as 'git diff --exit-code').
Errors are log's and show's: a JID that is not a version of PATH or a deletion (exit 2), none or a pruned one (1).`)

  static override examples = [
    {description: 'The working file against the newest version in the journal:', command: '<%= config.bin %> diff Risotto.cook'},
    {description: "Version 12 against the working file (versions: 'sync log Risotto.cook'):", command: '<%= config.bin %> diff Risotto.cook --jid 12'},
    {description: 'Two versions, with one line of context:', command: '<%= config.bin %> diff Risotto.cook --jid 12 --jid 15 -U 1'},
    {description: 'In a script: did the file change?', command: '<%= config.bin %> diff Risotto.cook --exit-code > /dev/null || echo changed'},
    {description: 'The hunks as JSON:', command: '<%= config.bin %> diff Risotto.cook --json'},
  ]

  static override args = {
    path: Args.string({description: 'File in the synced folder (relative to the current folder).', required: true, ignoreStdin: true}),
  }

  static override flags = {
    jid: Flags.integer({
      summary: 'A version to compare (a JID from sync log); give it twice to compare two versions.',
      min: 1,
      multiple: true,
      helpValue: 'JID',
    }),
    unified: Flags.integer({char: 'U', summary: 'Lines of context around each change.', min: 0, default: 3, helpValue: 'N'}),
    'exit-code': Flags.boolean({summary: 'Exit 1 when the sides differ, 0 when they are the same.'}),
  }

  async run(): Promise<DiffResult> {
    const {args, flags} = await this.parse(Diff)
    const jids = flags.jid ?? []
    if (jids.length > 2) throw new InvalidInputError('give at most two versions: --jid A, or --jid A --jid B')
    return this.withFolder(flags, async (folder) => {
      const file = folderPath(folder.root, args.path, this.startDir(flags))
      const [from, to] = await withJournal(folder.config, async (client) => [
        jids.length === 0 ? await newestSide(client, folder.store, file) : await versionSide(client, folder.store, file, jids[0]),
        jids.length === 2 ? await versionSide(client, folder.store, file, jids[1]) : await workingSide(folder.root, file),
      ])
      // Neither in the journal nor on disk: most likely a misspelt name.
      if (from.absent && from.jid === undefined && to.absent) throw noHistoryError(file)
      const same = from.absent === to.absent && from.bytes.equals(to.bytes)
      const binary = [from, to].some((side) => !side.absent && detectKind(file, side.bytes, folder.kindRules) === 'binary')
      const hunks = same || binary ? [] : lineHunks(from.bytes, to.bytes, flags.unified)
      if (!same && flags['exit-code']) process.exitCode = EXIT.failure
      if (!same && !this.jsonEnabled()) await write(process.stdout, binary ? binaryDiff(file, from, to) : unifiedDiff(file, from, to, hunks))
      return {path: file, from: sideInfo(from), to: sideInfo(to), same, binary, hunks: hunksJson(hunks)}
    })
  }
}
