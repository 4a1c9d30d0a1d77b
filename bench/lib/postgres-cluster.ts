/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: started on first use in this process (ava runs each
 * test file in its own), on a free loopback port with its socket and data in a temp folder, fsync on; a fresh
 * database per caller; stopped and removed when the process exits. Debian's PostgreSQL (.ci/run installs it); initdb refuses root,
 * so as root the cluster runs as the `postgres` user.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {chownSync, existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {createServer} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'

/** Debian's newest PostgreSQL (/usr/lib/postgresql/VERSION/bin), unless SYNC_TEST_PG_BIN names another. */
function binDir(): string {
  if (process.env.SYNC_TEST_PG_BIN) return process.env.SYNC_TEST_PG_BIN
  const root = '/usr/lib/postgresql'
  const versions = (existsSync(root) ? readdirSync(root) : []).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
  const found = versions.map((v) => path.join(root, v, 'bin')).find((bin) => existsSync(path.join(bin, 'initdb')))
  if (!found) throw new Error(`no PostgreSQL server here (${root}/*/bin/initdb): apt-get install postgresql, or set SYNC_TEST_PG_BIN`)
  return found
}

interface Cluster {
  dir: string
  port: number
}

let cluster: Promise<Cluster> | undefined

function asPostgres(command: string, args: string[]): void {
  const [file, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]
  execFileSync(file, argv, {stdio: ['ignore', 'ignore', 'pipe']})
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as {port: number}
      server.close(() => resolve(port))
    })
  })
}

async function startCluster(): Promise<Cluster> {
  const BIN = binDir()
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sync-pg-'))
  if (process.getuid?.() === 0) {
    const {uid, gid} = userIds('postgres')
    chownSync(dir, uid, gid)
  }
  const data = path.join(dir, 'data')
  const port = await freePort()
  const stop = () => {
    spawnSync(process.getuid?.() === 0 ? 'runuser' : path.join(BIN, 'pg_ctl'), [
      ...(process.getuid?.() === 0 ? ['-u', 'postgres', '--', path.join(BIN, 'pg_ctl')] : []),
      '-D',
      data,
      '-m',
      'immediate',
      '-w',
      'stop',
    ])
    rmSync(dir, {recursive: true, force: true})
  }
  process.once('exit', stop)
  // A test process stopped by a signal leaves no cluster behind either.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      process.off('exit', stop)
      stop()
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15))
    })
  // initdb's own files need no fsync (a crash of the test loses the cluster anyway); the server's stays on.
  asPostgres(path.join(BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'])
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=200`
  asPostgres(path.join(BIN, 'pg_ctl'), ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start'])
  return {dir, port}
}

function userIds(name: string): {uid: number; gid: number} {
  const id = (flag: string) => Number(execFileSync('id', [flag, name]).toString().trim())
  return {uid: id('-u'), gid: id('-g')}
}

/** A new, empty database on this process's cluster: its URL, and the function that drops it. */
export async function newDatabase(): Promise<{url: string; drop: () => Promise<void>}> {
  cluster ??= startCluster()
  const {port} = await cluster
  const name = `t_${randomBytes(6).toString('hex')}`
  const admin = async (sql: string) => {
    const client = new pg.Client({host: '127.0.0.1', port, user: 'postgres', database: 'postgres'})
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
  await admin(`CREATE DATABASE ${name}`)
  return {url: `postgres://postgres@127.0.0.1:${port}/${name}`, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)}
}
