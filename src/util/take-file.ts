/**
 * Takes a small file one process leaves for another (a command's request to a daemon): renamed aside first, so
 * that of two takers one gets it, then read and deleted. Undefined when there is none.
 */
import {readFile, rename, unlink} from 'node:fs/promises'
import {tempPathFor} from './temp-path.js'

export async function takeFile(file: string): Promise<string | undefined> {
  const taken = tempPathFor(file)
  try {
    await rename(file, taken)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  try {
    return await readFile(taken, 'utf8')
  } finally {
    await unlink(taken).catch(() => {})
  }
}
