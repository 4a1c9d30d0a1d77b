import {Args} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {readStdinBytes} from '../cli/read-list.js'
import {FileAccessError, TooLargeError} from '#src/errors/index.js'
import {MAX_CHUNK_BYTES} from '#src/store/limits.js'
import {readFile, stat} from 'node:fs/promises'
import {prose} from '../cli/prose.js'

export default class SaveChunk extends SyncCommand {
  static override summary = 'Store the bytes of FILE (or stdin) as one chunk and print its id.'
  static override description = prose(
    `The whole input is one chunk (up to ${MAX_CHUNK_BYTES / 1024 / 1024} MiB), whatever it holds; use hashify to chunk a file.`,
  )
  static override examples = [
    {description: 'Store one line:', command: "printf '%s\\n' 'Add @salt{1%tsp}.' | <%= config.bin %> save-chunk"},
    {description: 'Store a file as a single chunk:', command: '<%= config.bin %> save-chunk line.txt'},
  ]

  static override args = {
    file: Args.string({description: 'File to store, or - for stdin (the default).', ignoreStdin: true}),
  }

  async run(): Promise<{id: string; size: number}> {
    const {args, flags} = await this.parse(SaveChunk)
    const bytes = await readInput(args.file)
    return this.withFolder(flags, async (folder) => {
      const id = folder.store.add(bytes)
      await folder.store.flush()
      this.log(id)
      return {id, size: bytes.length}
    })
  }
}

async function readInput(file: string | undefined): Promise<Buffer> {
  if (file === undefined || file === '-') {
    const bytes = await readStdinBytes()
    if (bytes.length > MAX_CHUNK_BYTES) throw new TooLargeError('the input', MAX_CHUNK_BYTES)
    return bytes
  }
  const info = await stat(file).catch((error) => {
    throw FileAccessError.from(file, error) ?? error
  })
  if (info.isDirectory()) throw new FileAccessError(file, 'is-directory')
  if (!info.isFile()) throw new FileAccessError(file, 'not-a-file')
  if (info.size > MAX_CHUNK_BYTES) throw new TooLargeError(file, MAX_CHUNK_BYTES)
  return readFile(file).catch((error) => {
    throw FileAccessError.from(file, error) ?? error
  })
}
