import {Args, Flags} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {entryJson, entryLine} from '../cli/entry-output.js'
import {inRawOrder} from '../cli/in-raw-order.js'
import {argsOrStdin} from '../cli/read-list.js'
import {withJournal} from '../cli/with-journal.js'
import {writeLines} from '../cli/write-lines.js'
import {parseChunkIds} from '#src/chunk/chunk-id.js'
import {IdList} from '#src/chunk/id-list.js'
import {ConflictError, InvalidInputError, MissingChunksError} from '#src/errors/index.js'
import type {CommitItem} from '#src/journal/journal-client.js'
import {fileManifest} from '#src/manifest/manifest.js'
import {checkPath} from '#src/paths/validate-path.js'
import {prose} from '../cli/prose.js'

export default class Commit extends SyncCommand {
  static override summary = 'Commit a version of PATH to the server: print its new JID.'
  static override description = prose(`The version is the chunk ids given (as arguments, or one per line on stdin), in order; its size comes
from the local store, which must hold them. Compare-and-set: --base names the JID of the version this one
replaces (omit it for a new file). Exit 0 with the JID (also when the server already had this version);
exit 3 with the ids the server lacks on stdout, one per line (upload them, then commit again); exit 4 with
the path's current head on stdout when PATH moved past --base.`)

  static override examples = [
    {
      description: 'Commit a new file (its chunks sent first):',
      command: '<%= config.bin %> hashify Risotto.cook > ids && <%= config.bin %> upload < ids && <%= config.bin %> commit Risotto.cook < ids',
    },
    {
      description: 'Upload what the server lacks, then commit again:',
      command:
        '<%= config.bin %> hashify a.cook > ids; <%= config.bin %> commit a.cook < ids | <%= config.bin %> upload; <%= config.bin %> commit a.cook < ids',
    },
    {description: 'Replace version 41:', command: '<%= config.bin %> hashify a.cook | <%= config.bin %> commit a.cook --base 41'},
    {description: 'Delete it:', command: '<%= config.bin %> commit a.cook --deleted --base 42'},
  ]

  static override strict = false
  static override args = {
    path: Args.string({description: 'Path of the file in the synced folder (relative, / separated).', required: true, ignoreStdin: true}),
    ids: Args.string({description: 'Chunk ids in order (or one per line on stdin).', ignoreStdin: true}),
  }

  static override flags = {
    base: Flags.integer({summary: 'JID of the version this one replaces (omit for a new file).', min: 1}),
    deleted: Flags.boolean({summary: 'Commit a deletion of PATH (no ids).'}),
    exec: Flags.boolean({summary: 'The file is executable.'}),
  }

  async run(): Promise<{status: 'committed' | 'unchanged'; jid: number}> {
    const {argv, flags} = await this.parse(Commit)
    const [path, ...given] = inRawOrder(this.argv, argv as string[])
    checkPath(path)
    if (flags.deleted && (given.length > 0 || flags.exec)) throw new InvalidInputError('a deletion takes no ids and no --exec')
    const ids = flags.deleted ? [] : parseChunkIds(await argsOrStdin(given))
    const base = flags.base ?? null
    return this.withFolder(flags, async (folder) => {
      let item: CommitItem = {path, base, deleted: true}
      if (!flags.deleted) {
        const absent = folder.store.missing(ids)
        if (absent.length > 0) throw new MissingChunksError(absent)
        const size = ids.reduce((total, id) => total + folder.store.chunkLength(id)!, 0)
        item = {path, base, manifest: fileManifest(IdList.fromHex(ids), size, flags.exec)}
      }
      const [result] = await withJournal(folder.config, (client) => client.commit([item], {device: folder.config.device}))
      if (result.status === 'missing') {
        if (!this.jsonEnabled()) await writeLines(result.ids)
        throw new MissingChunksError(result.ids, 'the server')
      }
      if (result.status === 'conflict') {
        if (!this.jsonEnabled()) this.log(entryLine(result.head))
        throw new ConflictError(path, base, {...entryJson(result.head)})
      }
      this.log(String(result.jid))
      return result
    })
  }
}
