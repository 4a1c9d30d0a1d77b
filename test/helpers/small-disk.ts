/**
 * A real small disk for disk-full tests: a tmpfs mounted on a temp folder (needs root; undefined, with a logged
 * reason, where mounting is not allowed), and a way to fill it to the last byte.
 */
import {execFileSync} from 'node:child_process'
import {mkdir, open} from 'node:fs/promises'
import type {ExecutionContext} from 'ava'

export async function smallDisk(t: ExecutionContext, at: string, size = '16m'): Promise<string | undefined> {
  await mkdir(at, {recursive: true})
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at], {stdio: 'pipe'})
  } catch (error) {
    t.log(`cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]})`)
    return undefined
  }
  // Lazy: a server or CLI may still hold files open when the teardowns run.
  t.teardown(() => execFileSync('umount', ['-l', at]))
  return at
}

/** Fills the disk `file` is on up to the last byte it will take. */
export async function fill(file: string): Promise<void> {
  const handle = await open(file, 'w')
  try {
    const block = Buffer.alloc(64 * 1024, 1)
    for (;;) await handle.write(block)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
  } finally {
    await handle.close().catch(() => {})
  }
}
