import {Args} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {inRawOrder} from '../cli/in-raw-order.js'
import {type HashifyResult, hashifyToJson, printHashified} from '../cli/hashify-files.js'
import {warmUpForBigFiles} from '#src/files/hash-thread-pool.js'
import {prose} from '../cli/prose.js'

export default class Hashify extends SyncCommand {
  static override summary = 'Chunk files, store their chunks, and print the chunk ids in order.'
  static override description = prose(`Text files (by extension, or without a NUL byte in their first 8000 bytes) are chunked by line, each
chunk a line including its newline; other files by content-defined chunks of 4-64 KiB. Each id is the SHA-256
of the chunk's bytes, in hex, one per line. The chunks are durable in the store when the ids are printed.
A large file's ids are printed in batches as its chunks become durable: if the file changes while it is read,
the ids printed before the error are those of its beginning.`)

  static override examples = [
    {description: 'The ids of a recipe, one per line:', command: '<%= config.bin %> hashify "Risotto.cook"'},
    {description: 'Rebuild a copy from them:', command: '<%= config.bin %> hashify Risotto.cook | <%= config.bin %> save copy.cook'},
    {description: 'Kind, size and ids of several files:', command: '<%= config.bin %> hashify --json *.cook'},
  ]

  static override strict = false
  static override args = {
    file: Args.string({description: 'Files to chunk (one or more).', required: true, ignoreStdin: true}),
  }

  async run(): Promise<HashifyResult | undefined> {
    const {argv, flags} = await this.parse(Hashify)
    const files = inRawOrder(this.argv, argv as string[])
    const startDir = this.startDir(flags)
    await warmUpForBigFiles(files)
    if (this.jsonEnabled()) return hashifyToJson(startDir, files)
    await printHashified(startDir, files)
    return undefined
  }
}
