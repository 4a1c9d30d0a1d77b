/**
 * Edit-to-visible latency: a line edited in a recipe on A, until B's file has it. Two `sync daemon`s through a
 * real sync-server, against two Syncthing instances (watcher delay at its minimum), over the same edits; once
 * on a quiet machine and once with every core kept busy by another process (cpu-load.ts), as users' machines
 * are. Goals: p50 ≤ 30 ms and p99 ≤ 100 ms, quiet and loaded (issue 20); p50 ≤ 0.1 of Syncthing's (issue 6).
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {copyFile, mkdtemp, readFile, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {LOAD_CONDITIONS} from '../lib/cpu-load.js'
import {percentile} from '../lib/measure.js'
import {waitFor} from '../lib/processes.js'
import type {Row} from '../lib/report.js'
import {root, startSync} from '../lib/sync-setup.js'
import {startSyncthingPair} from '../lib/syncthing.js'

export const recipe = path.join(root, 'fixtures', 'cookbook', 'Risotto.cook')

/**
 * Milliseconds from writing edit `i` of the recipe in `from` to its arrival in `to`. The edit is written and the
 * arrival looked for with synchronous calls, the look once a millisecond: an asynchronous read is four trips to
 * libuv's pool, several milliseconds on a busy machine, which were counted as the tools' latency.
 */
export async function editToVisible(from: string, to: string, i: number): Promise<number> {
  const text = (await readFile(recipe, 'utf8')).replace('servings: 4', `servings: ${i + 5}`)
  const target = path.join(to, 'Risotto.cook')
  const arrived = () => {
    try {
      return readFileSync(target, 'utf8') === text
    } catch {
      return false
    }
  }
  const started = performance.now()
  writeFileSync(path.join(from, 'Risotto.cook'), text)
  await waitFor(`edit ${i} to arrive`, arrived, 30_000, 1)
  const ms = performance.now() - started
  // Let both sides go quiet before the next edit, as edits by a person would.
  await new Promise((resolve) => setTimeout(resolve, 150))
  return ms
}

async function measure(a: string, b: string, edits: number): Promise<number[]> {
  const latencies: number[] = []
  for (let i = 0; i < edits; i++) latencies.push(await editToVisible(a, b, i))
  return latencies
}

/** Latencies of ours and of Syncthing's, over the same edits, in the same conditions. */
async function both(work: string, edits: number, under: <T>(run: () => Promise<T>) => Promise<T>): Promise<{ours: number[]; theirs: number[]}> {
  // No counting proxy: it relays every byte in this process, adding 10-50 ms to each request.
  const sync = await startSync(work, {proxy: false})
  let ours: number[]
  try {
    const [a, b] = [path.join(work, 'a'), path.join(work, 'b')]
    await sync.init(a, 'a')
    await sync.init(b, 'b')
    await copyFile(recipe, path.join(a, 'Risotto.cook'))
    await sync.startDaemon(a)
    await sync.startDaemon(b)
    await waitFor(
      'the recipe on b',
      () =>
        readFile(path.join(b, 'Risotto.cook')).then(
          () => true,
          () => false,
        ),
      30_000,
    )
    ours = await under(() => measure(a, b, edits))
  } finally {
    await sync.close()
  }
  const pair = await startSyncthingPair(work)
  let theirs: number[]
  try {
    await copyFile(recipe, path.join(pair.a, 'Risotto.cook'))
    await waitFor(
      'the recipe on syncthing b',
      () =>
        readFile(path.join(pair.b, 'Risotto.cook')).then(
          () => true,
          () => false,
        ),
      60_000,
    )
    await pair.settled()
    theirs = await under(() => measure(pair.a, pair.b, edits))
  } finally {
    await pair.close()
  }
  return {ours, theirs}
}

export async function editLatencySuite(options: {edits?: number} = {}): Promise<Row[]> {
  const edits = options.edits ?? 50
  const rows: Row[] = []
  for (const [condition, under] of LOAD_CONDITIONS) {
    const work = await mkdtemp(path.join(os.tmpdir(), 'sync-bench-latency-'))
    try {
      const {ours, theirs} = await both(work, edits, under)
      const note = `${edits} edits, ${condition}`
      rows.push(
        {
          suite: 'latency',
          name: 'edit-to-visible p50, two daemons',
          note,
          ours: percentile(ours, 50),
          reference: percentile(theirs, 50),
          referenceName: 'Syncthing',
          unit: 'ms',
          goal: {max: 0.1, on: 'ratio'},
        },
        {
          suite: 'latency',
          name: 'edit-to-visible p99, two daemons',
          note,
          ours: percentile(ours, 99),
          reference: percentile(theirs, 99),
          referenceName: 'Syncthing',
          unit: 'ms',
        },
        {suite: 'latency', name: 'edit-to-visible p50 (issue 20 goal)', note: condition, ours: percentile(ours, 50), unit: 'ms', goal: {max: 30, on: 'value'}},
        {suite: 'latency', name: 'edit-to-visible p99 (issue 20 goal)', note: condition, ours: percentile(ours, 99), unit: 'ms', goal: {max: 100, on: 'value'}},
      )
    } finally {
      await rm(work, {recursive: true, force: true})
    }
  }
  return rows
}
