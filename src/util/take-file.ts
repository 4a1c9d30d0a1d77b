/**
 * Takes a small file one process leaves for another (a command's request to a daemon): renamed aside first, so
 * that of two takers one gets it, then read and deleted. Undefined when there is none.
 */
import {renameSync} from 'node:fs'
import {readFile, unlink} from 'node:fs/promises'
import {tempPathFor} from './temp-path.js'

export async function takeFile(file: string): Promise<string | undefined> {
  const taken = tempPathFor(file)
  try {
    // Synchronous: there is usually none, and a pass asks at its start (a thread-pool trip each time otherwise).
    renameSync(file, taken)
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
