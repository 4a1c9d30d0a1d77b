/** Writes a file so that readers see the old or the new content, never a mix: temp file, fsync, rename. */
import {open, rename, unlink} from 'node:fs/promises'
import path from 'node:path'
import {fsyncDir} from './fsync-dir.js'
import {tempPathFor} from './temp-path.js'

/** `durable: false` skips the fsyncs, for a file that only says how things are now (a status), never data. */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array | AsyncIterable<Uint8Array>,
  options: {mode?: number; durable?: boolean} = {},
): Promise<void> {
  const durable = options.durable ?? true
  const temp = tempPathFor(file)
  const handle = await open(temp, 'wx', options.mode ?? 0o666)
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data)
    else for await (const piece of data) await handle.write(piece)
    if (durable) await handle.sync()
  } catch (error) {
    await handle.close()
    await unlink(temp).catch(() => {})
    throw error
  }
  await handle.close()
  await rename(temp, file)
  if (durable) await fsyncDir(path.dirname(file))
}
