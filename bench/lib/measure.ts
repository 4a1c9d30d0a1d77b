/** Timing helpers for benchmarks: run a command N times, take medians; peak RSS through GNU time when present. */
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {promisify} from 'node:util'

const run = promisify(execFile)
const GNU_TIME = '/usr/bin/time'

export interface Timing {
  seconds: number
  peakRssMb?: number
}

export async function timeCommand(command: string, args: string[], options: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): Promise<Timing> {
  const useTime = existsSync(GNU_TIME)
  const started = process.hrtime.bigint()
  const {stderr} = useTime
    ? await run(GNU_TIME, ['-f', 'peak-rss-kb=%M', command, ...args], {cwd: options.cwd, env: options.env, maxBuffer: 1 << 30})
    : await run(command, args, {cwd: options.cwd, env: options.env, maxBuffer: 1 << 30})
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const kb = /peak-rss-kb=(\d+)/.exec(stderr)?.[1]
  return {seconds, peakRssMb: kb ? Number(kb) / 1024 : undefined}
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}
