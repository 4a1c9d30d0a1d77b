import {Args, Flags} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {folderPath} from '../cli/folder-path.js'
import {versionInfo, type VersionInfo} from '../cli/version-info.js'
import {withJournal} from '../cli/with-journal.js'
import {writeVersion} from '../cli/write-version.js'
import {findVersion} from '#src/sync/find-version.js'
import {versionBuffer, versionBytes} from '#src/sync/version-bytes.js'
import {prose} from '../cli/prose.js'

interface ShowResult extends VersionInfo {
  /** The content, unless --output wrote it to a file. */
  base64?: string
  output?: string
}

export default class Show extends SyncCommand {
  static override summary = 'Print a version of a file from the journal: the newest, or --jid N.'
  static override description = prose(`Writes the version's bytes to stdout exactly as they were synced (binary files too: redirect or pipe
them), or to a file with --output (written whole or not at all). Chunks this device has are read from its store,
the rest from the server; nothing in the folder changes and a running daemon is not disturbed.
With --json: the version's path, jid, time (UTC), device, size, kind and mode (git's: 100644, 100755, 120000),
and its content in base64 (or, with --output, the file it was written to).
Errors: a path with no history (exit 1), a JID that is not a version of PATH or a deletion (exit 2), a pruned
version (exit 1).`)

  static override examples = [
    {description: 'The newest version of a recipe:', command: '<%= config.bin %> show Risotto.cook'},
    {description: "Version 12 (see 'sync log Risotto.cook'):", command: '<%= config.bin %> show Risotto.cook --jid 12'},
    {description: 'An old version of a photo, to a file:', command: '<%= config.bin %> show photos/cake.jpg --jid 40 --output cake-before.jpg'},
    {description: 'Its metadata and content as JSON:', command: '<%= config.bin %> show Risotto.cook --jid 12 --json'},
  ]

  static override args = {
    path: Args.string({description: 'File in the synced folder (relative to the current folder).', required: true, ignoreStdin: true}),
  }

  static override flags = {
    jid: Flags.integer({summary: 'The version to print (a JID from sync log); default the newest.', min: 1, helpValue: 'JID'}),
    output: Flags.string({char: 'o', summary: 'Write the content to FILE instead of stdout.', helpValue: 'FILE'}),
  }

  async run(): Promise<ShowResult> {
    const {args, flags} = await this.parse(Show)
    return this.withFolder(flags, async (folder) => {
      const path = folderPath(folder.root, args.path, this.startDir(flags))
      return withJournal(folder.config, async (client) => {
        const found = await findVersion(client, path, flags.jid)
        const info = versionInfo(path, found)
        if (this.jsonEnabled() && flags.output === undefined)
          return {...info, base64: (await versionBuffer(found.manifest, client, folder.store)).toString('base64')}
        await writeVersion(versionBytes(found.manifest, client, folder.store), flags.output)
        return {...info, ...(flags.output === undefined ? {} : {output: flags.output})}
      })
    })
  }
}
