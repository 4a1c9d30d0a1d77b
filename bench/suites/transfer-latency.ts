/**
 * Edit-to-visible latency while a 100 MB file transfers (issue 13, item 3): two `sync daemon`s through a real
 * sync-server; a recipe is edited on one device, then the other, in turn, until the big file (random bytes,
 * written on A) is whole on B: each edit is timed while A uploads it or B downloads it. Beside it, the same edits
 * on the same daemons with nothing else moving. Goal: p50 ≤ 150 ms in flight.
 * BIG_FILE_MB (default 100) and TRANSFER_LIMIT (a `--limit-up`/`--limit-down` rate for both daemons, default
 * none: the transfer then goes as fast as this machine's loopback, disk and cores allow).
 */
import {randomBytes} from 'node:crypto'
import {copyFile, mkdtemp, rename, rm, stat, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {percentile} from '../lib/measure.js'
import {waitFor} from '../lib/processes.js'
import type {Row} from '../lib/report.js'
import {startSync} from '../lib/sync-setup.js'
import {editToVisible, recipe} from './edit-latency.js'

const QUIET_EDITS = 20

async function writeBig(work: string, into: string, bytes: number): Promise<void> {
  const aside = path.join(work, 'big.bin')
  const piece = 8 * 1024 * 1024
  await writeFile(aside, '')
  for (let done = 0; done < bytes; done += piece) await writeFile(aside, randomBytes(Math.min(piece, bytes - done)), {flag: 'a'})
  await rename(aside, into)
}

export async function transferLatencySuite(): Promise<Row[]> {
  const megabytes = Number(process.env.BIG_FILE_MB ?? 100)
  const limit = process.env.TRANSFER_LIMIT
  const size = megabytes * 1024 * 1024
  const work = await mkdtemp(path.join(os.tmpdir(), 'sync-bench-transfer-'))
  const sync = await startSync(work, {proxy: false})
  try {
    const [a, b] = [path.join(work, 'a'), path.join(work, 'b')]
    await sync.init(a, 'a')
    await sync.init(b, 'b')
    await copyFile(recipe, path.join(a, 'Risotto.cook'))
    const limits = limit ? ['--limit-up', limit, '--limit-down', limit] : []
    await sync.startDaemon(a, limits)
    await sync.startDaemon(b, limits)
    await waitFor(
      'the recipe on b',
      () =>
        stat(path.join(b, 'Risotto.cook')).then(
          () => true,
          () => false,
        ),
      30_000,
    )

    const quiet: number[] = []
    for (let i = 0; i < QUIET_EDITS; i++) quiet.push(await editToVisible(i % 2 ? b : a, i % 2 ? a : b, i))

    const started = performance.now()
    await writeBig(work, path.join(a, 'big.bin'), size)
    const arrived = () =>
      stat(path.join(b, 'big.bin')).then(
        (s) => s.size === size,
        () => false,
      )
    const busy: number[] = []
    for (let i = QUIET_EDITS; !(await arrived()); i++) {
      const ms = await editToVisible(i % 2 ? b : a, i % 2 ? a : b, i)
      // Only an edit that was over before the big file arrived counts as one made while it moved.
      if (!(await arrived())) busy.push(ms)
    }
    await waitFor('the big file on b', arrived, 600_000)
    const seconds = (performance.now() - started) / 1000
    const note = `${megabytes} MB of random bytes A → B in ${seconds.toFixed(1)} s${limit ? `, limits ${limit}/s` : ''}; ${busy.length} edits in flight, both ways in turn`
    return [
      {
        suite: 'transfer',
        name: 'edit-to-visible p50, quiet (the same daemons before the transfer)',
        note: `${QUIET_EDITS} edits`,
        ours: percentile(quiet, 50),
        unit: 'ms',
      },
      {
        suite: 'transfer',
        name: 'edit-to-visible p50 while a big file transfers (issue 13 goal)',
        note,
        ours: percentile(busy, 50),
        reference: percentile(quiet, 50),
        referenceName: 'quiet',
        unit: 'ms',
        goal: {max: 150, on: 'value'},
      },
      {suite: 'transfer', name: 'edit-to-visible p99 while a big file transfers', note, ours: percentile(busy, 99), unit: 'ms'},
    ]
  } finally {
    await sync.close()
    await rm(work, {recursive: true, force: true})
  }
}
