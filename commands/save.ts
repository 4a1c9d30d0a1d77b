import {Args} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {inRawOrder} from '../cli/in-raw-order.js'
import {argsOrStdin} from '../cli/read-list.js'
import {parseChunkIds} from '#src/chunk/chunk-id.js'
import {saveFile} from '#src/files/save-file.js'
import {prose} from '../cli/prose.js'

export default class Save extends SyncCommand {
  static override summary = 'Write FILE from stored chunks, given their ids in order.'
  static override description = prose(`Ids come as arguments, or one per line on stdin. All or nothing: if any chunk is missing, nothing is
written, the missing ids are named and the exit code is 3. The file is written to a temp file, synced and
renamed into place, so it is never seen half-written.`)

  static override examples = [
    {description: 'Copy a file through the store:', command: '<%= config.bin %> hashify a.cook | <%= config.bin %> save b.cook'},
    {description: 'An empty file (no ids):', command: '<%= config.bin %> save empty.txt < /dev/null'},
  ]

  static override strict = false
  static override args = {
    file: Args.string({description: 'File to write.', required: true, ignoreStdin: true}),
    ids: Args.string({description: 'Chunk ids in order (or one per line on stdin).', ignoreStdin: true}),
  }

  async run(): Promise<{path: string; size: number; chunks: number}> {
    const {argv, flags} = await this.parse(Save)
    const [file, ...given] = inRawOrder(this.argv, argv as string[])
    const ids = parseChunkIds(await argsOrStdin(given))
    return this.withFolder(flags, async (folder) => {
      const {size} = await saveFile(folder.store, file, ids)
      return {path: file, size, chunks: ids.length}
    })
  }
}
