import {Args} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {argsOrStdin} from '../cli/read-list.js'
import {withJournal} from '../cli/with-journal.js'
import {parseChunkIds} from '#src/chunk/chunk-id.js'
import {prose} from '../cli/prose.js'

export default class Fetch extends SyncCommand {
  static override summary = 'Download chunks from the server into the local store.'
  static override description = prose(`Asks the server for the chunks given (as arguments, or one per line on stdin) that the local store lacks,
in one pack (more when they exceed 32 MiB), checks every chunk against its id and stores them durably.
Exit 3 with the ids named if the server lacks any; nothing is stored then.`)

  static override examples = [
    {
      description: 'Fetch the chunks of the newest entry, then write the file:',
      command: "<%= config.bin %> list --json | jq -r '.entries[-1].ids[]' > ids; <%= config.bin %> fetch < ids; <%= config.bin %> save Risotto.cook < ids",
    },
    {description: 'One chunk:', command: '<%= config.bin %> fetch 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'},
  ]

  static override strict = false
  static override args = {
    ids: Args.string({description: 'Chunk ids (or one per line on stdin).', ignoreStdin: true}),
  }

  async run(): Promise<{requested: number; fetched: number}> {
    const {argv, flags} = await this.parse(Fetch)
    const ids = [...new Set(parseChunkIds(await argsOrStdin(argv as string[])))]
    return this.withFolder(flags, async (folder) => {
      const fetched = await withJournal(folder.config, (client) => client.fetch(folder.store, ids))
      this.log(`fetched ${fetched} chunks (${ids.length - fetched} were here already)`)
      return {requested: ids.length, fetched}
    })
  }
}
