import {Args} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {readChunkBytes} from '../cli/read-chunk-bytes.js'

export default class ReadChunk extends SyncCommand {
  static override summary = "Write a stored chunk's bytes to stdout."
  static override description = 'The bytes are checked against the id before they are written; a damaged chunk is an error (exit 6).'
  static override examples = [
    {description: 'The first line of a recipe:', command: '<%= config.bin %> read-chunk $(<%= config.bin %> hashify Risotto.cook | head -1)'},
  ]

  static override args = {
    id: Args.string({description: 'Chunk id (64 hex digits).', required: true, ignoreStdin: true}),
  }

  async run(): Promise<{id: string; size: number; base64: string} | undefined> {
    const {args, flags} = await this.parse(ReadChunk)
    const bytes = await readChunkBytes(this.startDir(flags), args.id)
    if (this.jsonEnabled()) return {id: args.id.toLowerCase(), size: bytes.length, base64: bytes.toString('base64')}
    await new Promise<void>((resolve, reject) => process.stdout.write(bytes, (error) => (error ? reject(error) : resolve())))
    return undefined
  }
}
