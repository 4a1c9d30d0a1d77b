import {Args} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {inRawOrder} from '../cli/in-raw-order.js'
import {argsOrStdin} from '../cli/read-list.js'
import {checkChunks, type CheckChunksResult} from '../cli/check-chunks.js'

export default class CheckChunk extends SyncCommand {
  static override summary = 'Tell whether chunks are stored: exit 0 if all are, else 1 and print the missing ids.'
  static override examples = [
    {description: 'Is this chunk here?', command: '<%= config.bin %> check-chunk 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'},
    {description: 'Which chunks of a file would have to be fetched?', command: 'cat ids.txt | <%= config.bin %> check-chunk'},
  ]

  static override strict = false
  static override args = {
    ids: Args.string({description: 'Chunk ids (or one per line on stdin).', ignoreStdin: true}),
  }

  async run(): Promise<CheckChunksResult> {
    const {argv, flags} = await this.parse(CheckChunk)
    const result = await checkChunks(this.startDir(flags), await argsOrStdin(inRawOrder(this.argv, argv as string[])))
    if (!this.jsonEnabled()) for (const id of result.missing) this.log(id)
    if (result.missing.length > 0) process.exitCode = 1
    return result
  }
}
