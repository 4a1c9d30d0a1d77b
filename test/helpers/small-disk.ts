/**
 * A real small disk for disk-full tests: a tmpfs mounted on a temp folder (needs root on Linux: tests use
 * `withSmallDisk`, which skips them elsewhere), and a way to fill it to the last byte.
 */
import {execFileSync} from 'node:child_process'
import {mkdir, open} from 'node:fs/promises'
import test, {type ExecutionContext} from 'ava'
import {freeBytes} from '#src/db/room-for-write.js'

/** `test` where a tmpfs can be mounted (root on Linux), `test.skip` elsewhere. */
export const withSmallDisk = process.platform === 'linux' && process.getuid?.() === 0 ? test : test.skip

export async function smallDisk(t: ExecutionContext, at: string, size = '16m'): Promise<string> {
  await mkdir(at, {recursive: true})
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at], {stdio: 'pipe'})
  // Lazy: a server or CLI may still hold files open when the teardowns run.
  t.teardown(() => execFileSync('umount', ['-l', at]))
  return at
}

/** Fills the disk `file` is on up to the last byte it will take, or until `leave` bytes are left free. */
export async function fill(file: string, leave = 0): Promise<void> {
  const handle = await open(file, 'w')
  try {
    const block = Buffer.alloc(64 * 1024, 1)
    for (;;) {
      const free = leave > 0 ? (await freeBytes(file))! - leave : block.length
      if (free <= 0) return
      await handle.write(block, 0, Math.min(block.length, free))
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
  } finally {
    await handle.close().catch(() => {})
  }
}
