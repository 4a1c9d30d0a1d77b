/**
 * Other work on the machine, as users' machines have: one busy-loop process per core, at normal priority,
 * until stopped.
 */
import os from 'node:os'
import {start, stop} from './processes.js'

export async function withCpuLoad<T>(work: () => Promise<T>): Promise<T> {
  const spinners = Array.from({length: os.availableParallelism()}, () => start(process.execPath, ['-e', 'for (;;) {}']))
  try {
    return await work()
  } finally {
    await Promise.all(spinners.map((spinner) => stop(spinner)))
  }
}

/** The two conditions latency suites measure in, each with the way to run work in it: quiet, and every core busy. */
export const LOAD_CONDITIONS = [
  ['quiet', <T>(run: () => Promise<T>) => run()],
  ['every core busy', withCpuLoad],
] as const
