/** A synced folder's files (not `.sync/`) by relative path, with their contents: what tests compare between devices. */
import {readdir, readFile} from 'node:fs/promises'
import path from 'node:path'

export async function readTree(root: string, encoding: BufferEncoding = 'latin1'): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const walk = async (dir: string) => {
    for (const entry of await readdir(path.join(root, dir), {withFileTypes: true})) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name
      if (relative === '.sync') continue
      if (entry.isDirectory()) await walk(relative)
      else out[relative] = (await readFile(path.join(root, relative))).toString(encoding)
    }
  }
  await walk('')
  return out
}
