/**
 * Writes a version's bytes, byte for byte, to stdout as they come, or to a file that appears whole or not at all.
 * A reader that stops early (`| head`) ends the output quietly, as `cat` does.
 */
import {lstat} from 'node:fs/promises'
import {FileAccessError} from '#src/errors/index.js'
import {checkReplaceable} from '#src/files/replaceable.js'
import {writeFileAtomic} from '#src/util/write-file-atomic.js'
import {write} from './write-lines.js'

export async function writeVersion(pieces: AsyncIterable<Buffer>, output?: string): Promise<void> {
  if (output !== undefined) {
    // Written beside and renamed over, as a save is.
    checkReplaceable(output, await lstat(output).catch(() => undefined))
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
