import {Args} from '@oclif/core'
import {SyncCommand} from '../src/cli/base-command.js'
import {inRawOrder} from '../src/cli/in-raw-order.js'
import {HEX_LINE_BYTES} from '../src/chunk/hex-lines.js'
import type {IdList} from '../src/chunk/id-list.js'
import {hashifyFile, hashifyFileInBatches} from '../src/files/hashify-file.js'

interface HashifyResult {
  files: {path: string; kind: string; size: number; chunks: number; ids: string[]}[]
}

/** Ids printed per write: 1 MiB of output. */
const IDS_PER_WRITE = 16 * 1024

export default class Hashify extends SyncCommand {
  static override summary = 'Chunk files, store their chunks, and print the chunk ids in order.'
  static override description = `Text files (by extension, or without a NUL byte in their first 8000 bytes) are chunked by line, each
chunk a line including its newline; other files by content-defined chunks of 4-64 KiB. Each id is the SHA-256
of the chunk's bytes, in hex, one per line. The chunks are durable in the store when the ids are printed.
A large file's ids are printed in batches as its chunks become durable: if the file changes while it is read,
the ids printed before the error are those of its beginning.`

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
        if (json) {
          const hashed = await hashifyFile(folder.store, file, {rules: folder.kindRules})
          await folder.store.flush()
          files.push({path: file, kind: hashed.kind, size: hashed.size, chunks: hashed.ids.length, ids: hashed.ids.toHexArray()})
        } else {
          // Not kept: a 100 MB text file has 3.9 million ids.
          await hashifyFileInBatches(folder.store, file, printIds, {rules: folder.kindRules})
        }
      }
      return json ? {files} : undefined
    })
  }
}

/** Prints ids through one buffer, reused once stdout is done with it (250 MB of lines for a 100 MB text file). */
async function printIds(ids: IdList): Promise<void> {
  const out = Buffer.allocUnsafe(IDS_PER_WRITE * HEX_LINE_BYTES)
  for (let at = 0; at < ids.length; at += IDS_PER_WRITE) {
    const lines = ids.hexLines(at, Math.min(ids.length, at + IDS_PER_WRITE), out)
    await new Promise<void>((resolve, reject) => process.stdout.write(lines, (error) => (error ? reject(error) : resolve())))
  }
}
