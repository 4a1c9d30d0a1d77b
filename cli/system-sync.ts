/**
 * A bare `sync` (no arguments) keeps its system meaning: coreutils' sync(1), which flushes file systems, is
 * run when one is further down PATH. Installed globally (`npm link`, `npm i -g`), our `sync` may come first on
 * PATH, and scripts that call `sync` to flush disks before a power-off must not silently get our help instead.
 */
import {spawnSync} from 'node:child_process'
import {accessSync, constants, realpathSync, statSync} from 'node:fs'
import path from 'node:path'

/** The first `sync` on PATH that is not this program, if any. */
export function otherSync(self: string): string | undefined {
  const me = realpathSync(self)
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue
    const candidate = path.join(dir, 'sync')
    try {
      accessSync(candidate, constants.X_OK)
      if (statSync(candidate).isFile() && realpathSync(candidate) !== me) return candidate
    } catch {
      // Not there, or not runnable: look further.
    }
  }
  return undefined
}

/** Runs the system's sync and returns its exit code, or undefined when there is none (then ours prints its help). */
export function runSystemSync(self: string): number | undefined {
  const system = otherSync(self)
  if (!system) return undefined
  const result = spawnSync(system, [], {stdio: 'inherit'})
  return result.status ?? 1
}
