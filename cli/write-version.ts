/**
 * Writes a version's bytes, byte for byte, to stdout as they come, or to a file that appears whole or not at all.
 * A reader that stops early (`| head`) ends the output quietly, as `cat` does.
 */
import {lstat} from 'node:fs/promises'
import {FileAccessError} from '#src/errors/index.js'
import {writeFileAtomic} from '#src/util/write-file-atomic.js'
import {write} from './write-lines.js'

export async function writeVersion(pieces: AsyncIterable<Buffer>, output?: string): Promise<void> {
  if (output !== undefined) {
    // Written beside and renamed over: a device, a pipe or a socket at OUTPUT would be replaced, never written to.
    const existing = await lstat(output).catch(() => undefined)
    if (existing?.isDirectory()) throw new FileAccessError(output, 'is-directory')
    if (existing && !existing.isFile() && !existing.isSymbolicLink()) throw new FileAccessError(output, 'not-a-file')
    await writeFileAtomic(output, pieces, {durable: false}).catch((error) => {
      throw FileAccessError.from(output, error) ?? error
    })
    return
  }
  let failed: NodeJS.ErrnoException | undefined
  const onError = (error: NodeJS.ErrnoException) => (failed ??= error)
  process.stdout.on('error', onError)
  try {
    for await (const piece of pieces) {
      if (failed) break
      await write(process.stdout, piece)
    }
  } catch (error) {
    failed ??= error as NodeJS.ErrnoException
  } finally {
    process.stdout.off('error', onError)
  }
  if (failed && failed.code !== 'EPIPE') throw failed
}
