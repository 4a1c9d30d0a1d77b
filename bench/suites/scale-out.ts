/**
 * Scale-out (issue 16): the server bench (bench/server.ts: 50 clients, durable one-line commits) against 1, 2 and
 * 3 sync-server instances on one PostgreSQL database (a throwaway cluster, fsync and synchronous commits on;
 * chunk packs in a local folder), and against the embedded LMDB server in the same run. Also the long-poll
 * wake-up across instances (the probe commits to instance 0, its waiter listens on the last one) and each
 * instance's own memory, end against middle. On one machine the database, the instances and the clients share
 * the same cores: the figures say what the architecture costs, not how it scales across machines.
 * `SCALE_OUT_SECONDS` sets each run's length (default 20).
 */
import {execFile} from 'node:child_process'
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {promisify} from 'node:util'
import {newDatabase} from '../lib/postgres-cluster.js'
import type {Row} from '../lib/report.js'
import {serverBench, type ServerFigures} from '../server.js'
import {repoRoot} from '../lib/repo-root.js'

const serverBin = path.join(repoRoot, 'bin', 'sync-server.js')

export async function scaleOutSuite(): Promise<Row[]> {
  const seconds = Number(process.env.SCALE_OUT_SECONDS ?? 20)
  const lmdb = await serverBench({seconds})
  const rows: Row[] = [{suite: 'scale-out', name: 'durable commits/s, LMDB, 1 instance', ours: lmdb.commitsPerSecond, unit: 'commits/s', note: '50 clients'}]
  for (const instances of [1, 2, 3]) {
    const {url, drop} = await newDatabase()
    const blobs = await mkdtemp(path.join(os.tmpdir(), 'sync-bench-blobs-'))
    try {
      await promisify(execFile)('node', [serverBin, 'migrate', '--db', url])
      const figures: ServerFigures = await serverBench({seconds, instances, storage: ['--db', url, '--blobs', pathToFileURL(blobs).href]})
      const label = `PostgreSQL, ${instances} instance${instances > 1 ? 's' : ''}`
      rows.push(
        {
          suite: 'scale-out',
          name: `durable commits/s, ${label}`,
          ours: figures.commitsPerSecond,
          reference: lmdb.commitsPerSecond,
          referenceName: 'LMDB, same run',
          unit: 'commits/s',
          note: `commit p50 ${figures.commitP50Ms.toFixed(1)} ms, p99 ${figures.commitP99Ms.toFixed(1)} ms`,
        },
        {
          suite: 'scale-out',
          name: `long-poll wake-up p50, commit sent → waiter answered, ${label}${instances > 1 ? ' (waiter on another instance)' : ''}`,
          ours: figures.wakeFromSendP50Ms,
          unit: 'ms',
          goal: {max: 150, on: 'value'},
          note: `${figures.wakes} wake-ups`,
        },
        ...figures.instancesAnonMb.map((memory, i): Row => ({
          suite: 'scale-out',
          name: `instance ${i}'s own memory at the end against the middle, ${label}`,
          ours: memory.end,
          reference: memory.middle,
          referenceName: 'middle',
          unit: 'MB',
          goal: {max: 1.1, on: 'ratio'},
        })),
      )
    } finally {
      await drop()
      await rm(blobs, {recursive: true, force: true})
    }
  }
  return rows
}
