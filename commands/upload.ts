import {Args} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {argsOrStdin} from '../cli/read-list.js'
import {withJournal} from '../cli/with-journal.js'
import {parseChunkIds} from '#src/chunk/chunk-id.js'
import {prose} from '../cli/prose.js'

export default class Upload extends SyncCommand {
  static override summary = 'Send stored chunks to the server.'
  static override description = prose(`Reads the chunks given (as arguments, or one per line on stdin) from the local store and sends them in one
pack (more when they exceed 32 MiB). The server checks every chunk against its id and stores them durably
before it answers. Exit 3 if the local store lacks any; nothing is sent then.`)

  static override examples = [
    {description: 'Send what a commit said the server lacks:', command: '<%= config.bin %> commit a.cook < ids | <%= config.bin %> upload'},
    {description: 'Send all chunks of a file:', command: '<%= config.bin %> hashify a.cook | <%= config.bin %> upload'},
  ]

  static override strict = false
  static override args = {
    ids: Args.string({description: 'Chunk ids (or one per line on stdin).', ignoreStdin: true}),
  }

  async run(): Promise<{received: number; stored: number}> {
    const {argv, flags} = await this.parse(Upload)
    const ids = parseChunkIds(await argsOrStdin(argv as string[]))
    return this.withFolder(flags, async (folder) => {
      const result = await withJournal(folder.config, (client) => client.upload(folder.store, ids))
      this.log(`uploaded ${result.received} chunks, ${result.stored} new to the server`)
      return result
    })
  }
}
