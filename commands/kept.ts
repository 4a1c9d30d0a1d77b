import {Args} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {folderPath, folderPrefix, isFolderArgument} from '../cli/folder-path.js'
import {KeptVersions} from '#src/state/kept-versions.js'
import {prose} from '../cli/prose.js'

interface Kept {
  id: number
  path: string
  /** When a remote change replaced or deleted it (UTC, ISO 8601). */
  keptAt: string
  size: number
  replacedBy: {jid: number; deleted: boolean}
}

export default class KeptCommand extends SyncCommand {
  static override summary = 'List the versions made on this device that a change from elsewhere replaced or deleted, kept here.'
  static override description = prose(`When a change from another device (or from the server) replaces or deletes a file that was written on
this device, the version it replaces is kept here, in the folder's own store, for 'keep-days' (default 30; 'sync
config set keep-days N', 0 keeps none). The server's history ('sync log') holds versions too, but a server that
lost them, or pruned them, cannot give them back; these need nothing from it. Versions that came from another
device as they are are kept on that device, not again here. Bring one back with 'sync restore --kept ID'.`)

  static override examples = [
    {description: 'Every version kept on this device:', command: '<%= config.bin %> kept'},
    {description: 'Those of one recipe, as JSON:', command: '<%= config.bin %> kept Risotto.cook --json'},
    {description: 'Those below a folder:', command: '<%= config.bin %> kept Breakfast/'},
  ]

  static override args = {
    path: Args.string({description: 'A file, or a folder (DIR/), in the synced folder (relative to the current folder).', ignoreStdin: true}),
  }

  async run(): Promise<{versions: Kept[]}> {
    const {args, flags} = await this.parse(KeptCommand)
    const startDir = this.startDir(flags)
    return this.withFolder(flags, async (folder) => {
      const given = args.path
      const prefix = given !== undefined && isFolderArgument(given, startDir) ? folderPrefix(folder.root, given, startDir) : undefined
      // inScope's form: a folder as its prefix and '/', the whole folder as no scope at all.
      const scope =
        prefix !== undefined ? (prefix === '' ? undefined : `${prefix}/`) : given === undefined ? undefined : folderPath(folder.root, given, startDir)
      const versions = new KeptVersions(folder.env).list(scope).map((kept): Kept => ({
        id: kept.id,
        path: kept.path,
        keptAt: new Date(kept.keptAt).toISOString(),
        size: kept.manifest.size,
        replacedBy: kept.replacedBy,
      }))
      if (versions.length === 0) this.log(`no versions${given === undefined ? '' : ` of ${given}`} are kept on this device`)
      for (const v of versions) {
        const why = `${v.replacedBy.deleted ? 'deleted' : 'replaced'} by jid ${v.replacedBy.jid}`
        this.log(`${String(v.id).padStart(6)}  ${v.keptAt.replace('T', ' ').slice(0, 19)} UTC  ${`${v.size} bytes`.padEnd(14)}  ${v.path}  (${why})`)
      }
      return {versions}
    })
  }
}
