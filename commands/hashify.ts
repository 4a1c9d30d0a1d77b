import {Args} from '@oclif/core'
import {SyncCommand} from '../src/cli/base-command.js'
import {inRawOrder} from '../src/cli/in-raw-order.js'
import {writeLines} from '../src/cli/write-lines.js'
import {hashifyFile} from '../src/files/hashify-file.js'

interface HashifyResult {
  files: {path: string; kind: string; size: number; chunks: number; ids: string[]}[]
}

export default class Hashify extends SyncCommand {
  static override summary = 'Chunk files, store their chunks, and print the chunk ids in order.'
  static override description = `Text files (by extension, or without a NUL byte in their first 8000 bytes) are chunked by line, each
chunk a line including its newline; other files by content-defined chunks of 4-64 KiB. Each id is the SHA-256
of the chunk's bytes, in hex, one per line. The chunks are durable in the store when the ids are printed.`

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
    const json = this.jsonEnabled()
    return this.withFolder(flags, async (folder) => {
      const files: HashifyResult['files'] = []
      for (const file of inRawOrder(this.argv, argv as string[])) {
        const hashed = await hashifyFile(folder.store, file, {rules: folder.kindRules})
        await folder.store.flush()
        if (json) files.push({path: file, kind: hashed.kind, size: hashed.size, chunks: hashed.ids.length, ids: hashed.ids.toHexArray()})
        else await writeLines(hashed.ids)
      }
      return json ? {files} : undefined
    })
  }
}
