/**
 * How long the server's embedded storage takes to make a one-line commit durable: its new chunk staged in the
 * journal's own transaction (one flush; server/storage/lmdb/staged-chunks.ts), against the same commit with its
 * chunk flushed to the namespace's store first (pack fsync, index transaction, then the journal's: the path of a
 * commit of more than 64 KiB of new chunks). Alternating, in one process, quiet and with every core busy: the
 * step of edit-to-visible that the staging is for (issue 20).
 */
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {fileManifest} from '#src/manifest/manifest.js'
import {openLmdbStorage} from '#server/storage/lmdb/open-lmdb-storage.js'
import type {NewEntry, ServerStorage} from '#server/storage/types.js'
import {LOAD_CONDITIONS} from '../lib/cpu-load.js'
import {percentile} from '../lib/measure.js'
import type {Row} from '../lib/report.js'

const NS = 'home'
const PATH = 'Risotto.cook'
/** Between two commits, as between a person's edits: the staged chunks of the last one settle meanwhile. */
const PAUSE_MS = 80

/** Milliseconds to make commit `i` durable, staged or flushed first. */
async function commitOnce(storage: ServerStorage, i: number, staged: boolean, prev: number | null): Promise<{ms: number; jid: number}> {
  const chunks = await storage.chunks.namespace(NS)
  const line = Buffer.from(`servings: ${i}${staged ? '' : ' '}\n`)
  const id = sha256Hex(line)
  const entry: NewEntry = {path: PATH, prev, kind: 'file', device: 'bench', time: Date.now(), manifest: fileManifest(IdList.fromHex([id]), line.length)}
  const recoveries = chunks.recoveries
  await chunks.add([{id, bytes: line}])
  const started = performance.now()
  if (!staged) await chunks.flush()
  const jid = await storage.journal.transact(NS, {heads: new Set([PATH]), under: new Set(), appends: 1}, (view) => view.append(entry), {
    store: chunks,
    recoveries,
  })
  return {ms: performance.now() - started, jid}
}

async function measure(commits: number): Promise<{staged: number[]; flushed: number[]}> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sync-bench-durability-'))
  const storage = await openLmdbStorage(dir)
  const times = {staged: [] as number[], flushed: [] as number[]}
  try {
    let prev: number | null = null
    for (let i = 0; i < commits; i++) {
      for (const staged of [true, false]) {
        const {ms, jid} = await commitOnce(storage, i, staged, prev)
        prev = jid
        times[staged ? 'staged' : 'flushed'].push(ms)
        await sleep(PAUSE_MS)
      }
    }
  } finally {
    await storage.close()
    await rm(dir, {recursive: true, force: true})
  }
  return times
}

export async function commitDurabilitySuite(options: {commits?: number} = {}): Promise<Row[]> {
  const commits = options.commits ?? 100
  const rows: Row[] = []
  for (const [condition, under] of LOAD_CONDITIONS) {
    const {staged, flushed} = await under(() => measure(commits))
    for (const p of [50, 90])
      rows.push({
        suite: 'commit-durability',
        name: `one-line commit durable p${p}, chunk staged with the entry`,
        note: `${commits} each, ${condition}`,
        ours: percentile(staged, p),
        reference: percentile(flushed, p),
        referenceName: 'chunk flushed first',
        unit: 'ms',
      })
  }
  return rows
}
