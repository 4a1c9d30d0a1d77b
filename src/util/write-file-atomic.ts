/** Writes a small file so that readers see the old or the new content, never a mix: temp file, fsync, rename. */
import {open, rename, unlink} from 'node:fs/promises'
import path from 'node:path'
import {fsyncDir} from './fsync-dir.js'
import {tempPathFor} from './temp-path.js'

export async function writeFileAtomic(file: string, data: string | Uint8Array, options: {mode?: number} = {}): Promise<void> {
  const temp = tempPathFor(file)
  const handle = await open(temp, 'wx', options.mode ?? 0o666)
  try {
    await handle.writeFile(data)
    await handle.sync()
  } catch (error) {
    await handle.close()
    await unlink(temp).catch(() => {})
    throw error
  }
  await handle.close()
  await rename(temp, file)
  await fsyncDir(path.dirname(file))
}
