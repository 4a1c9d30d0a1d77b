/**
 * Server garbage collection (issue 15): a store of GC_BENCH_MB (default 256) of 16 KiB random chunks, of which
 * every tenth stays live, collected in a child process: time and peak RSS (goal 250 MB).
 */
import {mkdir} from 'node:fs/promises'
import {randomBytes} from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {mkdtemp, rm} from 'node:fs/promises'
import {execa} from 'execa'
import {openEnv} from '#src/db/open-env.js'
import {ChunkStore} from '#src/store/chunk-store.js'
import type {Row} from '../lib/report.js'

const CHUNK = 16 * 1024

async function fill(dir: string, megabytes: number): Promise<void> {
  await mkdir(path.join(dir, 'packs'), {recursive: true})
  const env = openEnv(path.join(dir, 'db'))
  const store = ChunkStore.open(env, path.join(dir, 'packs'))
  for (let i = 0; i < (megabytes * 1024 * 1024) / CHUNK; i++) {
    store.add(randomBytes(CHUNK))
    if (store.needsDrain) await store.drain()
  }
  await store.close()
  await env.close()
}

export async function gcSuite(megabytes = Number(process.env.GC_BENCH_MB ?? 256)): Promise<Row[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sync-gc-bench-'))
  try {
    await fill(dir, megabytes)
    const child = fileURLToPath(new URL('gc-child.js', import.meta.url))
    const {stdout} = await execa('node', [child, dir])
    const result = JSON.parse(stdout) as {ms: number; maxRssMb: number; bytesBefore: number; bytesAfter: number}
    const note = `${megabytes} MB store, 10% live: ${(result.bytesBefore / 1e6).toFixed(0)} -> ${(result.bytesAfter / 1e6).toFixed(0)} MB`
    return [
      {suite: 'gc', name: `gc of ${megabytes} MB, 10% live: time`, ours: result.ms / 1000, unit: 's', note},
      {suite: 'gc', name: `gc of ${megabytes} MB, 10% live: peak RSS`, ours: result.maxRssMb, unit: 'MB', goal: {max: 250, on: 'value'}},
    ]
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}
