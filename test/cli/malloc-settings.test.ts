/**
 * The bins run as programs (PATH, npm link, systemd) start node with glibc's malloc settings (bin/run.js): the
 * same process, through sh's exec, so what watches its pid (systemd, a benchmark's VmHWM) watches node itself;
 * settings already in the environment are kept.
 */
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import test, {type ExecutionContext} from 'ava'
import {execa} from 'execa'
import {repoRoot, tempDir} from '../helpers/temp.js'

const bins = ['run.js', 'sync-server.js'].map((name) => path.join(repoRoot, 'bin', name))

/** The environment and command line of `sync-server` started as a program, read from /proc while it listens. */
async function serverAsProgram(t: ExecutionContext, env: Record<string, string> = {}) {
  const child = execa(bins[1], ['--data', await tempDir(t), '--port', '0', '--host', '127.0.0.1'], {reject: false, env})
  t.teardown(() => {
    child.kill('SIGKILL')
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (data: Buffer) => data.toString().includes('listening on') && resolve())
    child.then((result) => reject(new Error(`sync-server exited early (${result.exitCode}): ${String(result.stderr)}`)), reject)
  })
  const read = async (name: string) => (await readFile(`/proc/${child.pid}/${name}`, 'latin1')).split('\0')
  return {environ: await read('environ'), cmdline: await read('cmdline')}
}

test('sync-server run as a program is node in the same process, with two malloc arenas and large blocks mapped apart', async (t) => {
  const {environ, cmdline} = await serverAsProgram(t)
  t.is(path.basename(cmdline[0]), 'node')
  t.is(cmdline[1], bins[1])
  t.true(environ.includes('MALLOC_ARENA_MAX=2'))
  t.true(environ.includes('MALLOC_MMAP_THRESHOLD_=131072'))
})

test('settings already in the environment are kept', async (t) => {
  const {environ} = await serverAsProgram(t, {MALLOC_ARENA_MAX: '4'})
  t.true(environ.includes('MALLOC_ARENA_MAX=4'))
  t.false(environ.includes('MALLOC_ARENA_MAX=2'))
})

test('sync and sync-server start the same way', async (t) => {
  const [sync, server] = await Promise.all(bins.map(async (bin) => (await readFile(bin, 'utf8')).split('\n').slice(0, 2)))
  t.is(sync[0], '#!/bin/sh')
  t.deepEqual(sync, server)
})
