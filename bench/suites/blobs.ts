/**
 * BlobStore throughput with 4 MB packs (random bytes: what compressed packs look like), one after another and four at
 * a time: s3rver on loopback (S3BlobStore, a child process) beside a local folder (DiskBlobStore, fsync per put).
 * s3rver stands in for an object store's protocol costs (HTTP, signing, MD5), not for its durability or its network.
 * Medians of three rounds; every read is checked against what was put.
 */
import {createHash, randomBytes} from 'node:crypto'
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import type {BlobStore} from '#server/storage/blobs/blob-store.js'
import {openBlobStore} from '#server/storage/blobs/open-blob-store.js'
import {median} from '../lib/measure.js'
import type {Row} from '../lib/report.js'
import {startS3rver} from '../lib/s3rver.js'

const MB = 1024 * 1024
const PACK = 4 * MB

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** Seconds for `work` on every pack, `parallel` at a time. */
async function timed(count: number, parallel: number, work: (i: number) => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint()
  let next = 0
  const lane = async () => {
    while (next < count) await work(next++)
  }
  await Promise.all(Array.from({length: parallel}, lane))
  return Number(process.hrtime.bigint() - started) / 1e9
}

interface Figures {
  put: number[]
  read: number[]
}

async function round(store: BlobStore, packs: Buffer[], hashes: string[], parallel: number, round: number, into: Figures): Promise<void> {
  const key = (i: number) => `bench/r${round}-p${parallel}/pack-${i}`
  into.put.push(await timed(packs.length, parallel, (i) => store.put(key(i), packs[i])))
  into.read.push(
    await timed(packs.length, parallel, async (i) => {
      if (sha(await store.read(key(i), 0, PACK)) !== hashes[i]) throw new Error(`pack ${key(i)} read back different`)
    }),
  )
}

export async function blobsSuite(options: {packs?: number; rounds?: number} = {}): Promise<Row[]> {
  const count = options.packs ?? 16
  const rounds = options.rounds ?? 3
  const work = await mkdtemp(path.join(os.tmpdir(), 'sync-bench-blobs-'))
  const s3rver = await startS3rver(path.join(work, 's3rver'))
  const stores = {disk: await openBlobStore(pathToFileURL(path.join(work, 'disk')).href), s3rver: await openBlobStore(s3rver.url('bench'))}
  try {
    const packs = Array.from({length: count}, () => randomBytes(PACK))
    const hashes = packs.map(sha)
    const rows: Row[] = []
    for (const parallel of [1, 4]) {
      const figures = {disk: {put: [], read: []} as Figures, s3rver: {put: [], read: []} as Figures}
      for (let r = 0; r < rounds; r++) for (const name of ['disk', 's3rver'] as const) await round(stores[name], packs, hashes, parallel, r, figures[name])
      const mbPerSecond = (seconds: number[]) => (count * PACK) / MB / median(seconds)
      for (const op of ['put', 'read'] as const) {
        rows.push({
          suite: 'blobs',
          name: `${op} of 4 MB packs, ${parallel} at a time`,
          ours: mbPerSecond(figures.s3rver[op]),
          reference: mbPerSecond(figures.disk[op]),
          referenceName: 'disk',
          unit: 'MB/s',
          note: 's3rver on loopback',
        })
      }
    }
    return rows
  } finally {
    await Promise.all([stores.disk.close(), stores.s3rver.close()])
    await s3rver.stop()
    await rm(work, {recursive: true, force: true})
  }
}
