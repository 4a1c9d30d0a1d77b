/**
 * The bins run as programs (PATH, npm link, systemd) start node with glibc's malloc settings (bin/run.js): the
 * same process, through sh's exec, so what watches its pid (systemd, a benchmark's VmHWM) watches node itself;
 * settings already in the environment are kept.
 */
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import test, {type ExecutionContext} from 'ava'
import {execa} from 'execa'
import {startCliDaemon} from '../helpers/cli-daemon.js'
import {runSync, text} from '../helpers/cli.js'
import {repoRoot, tempDir} from '../helpers/temp.js'
import {runServer, startServer} from '../server/support/server-process.js'

const bins = ['run.js', 'sync-server.js'].map((name) => path.join(repoRoot, 'bin', name))

/** The environment and command line of a running process, from /proc. */
async function processOf(pid: number) {
  const read = async (name: string) => (await readFile(`/proc/${pid}/${name}`, 'latin1')).split('\0')
  return {environ: await read('environ'), cmdline: await read('cmdline')}
}

/** The environment and command line of `sync-server` started as a program, read while it listens. */
async function serverAsProgram(t: ExecutionContext, env: Record<string, string> = {}) {
  const child = execa(bins[1], ['--data', await tempDir(t), '--port', '0', '--host', '127.0.0.1'], {reject: false, env})
  t.teardown(() => {
    child.kill('SIGKILL')
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (data: Buffer) => data.toString().includes('listening on') && resolve())
    child.then((result) => reject(new Error(`sync-server exited early (${result.exitCode}): ${String(result.stderr)}`)), reject)
  })
  return processOf(child.pid!)
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

test('sync daemon run as a program has the same malloc settings and a young generation capped at start, and SIGTERM stops it', async (t) => {
  const data = await tempDir(t)
  const token = text((await runServer(['token', '--data', data, '--namespace', 'recipes'])).stdout).trim()
  const server = await startServer(t, data)
  const folder = path.join(await tempDir(t), 'recipes')
  t.is((await runSync(['init', folder, '--server', server.url, '--namespace', 'recipes', '--token', token])).exitCode, 0)
  const daemon = await startCliDaemon(t, folder, {asProgram: true, args: ['--json']})
  const {environ, cmdline} = await processOf(daemon.pid)
  t.is(path.basename(cmdline[0]), 'node')
  t.deepEqual(cmdline.slice(1, 4), ['--max-semi-space-size=2', bins[0], 'daemon'])
  t.true(environ.includes('MALLOC_ARENA_MAX=2'))
  t.true(environ.includes('MALLOC_MMAP_THRESHOLD_=131072'))
  // The signal reaches node itself (no shell left between), whose handler stops the daemon cleanly.
  const exited = await daemon.stop()
  t.is(exited.signal, undefined)
  t.is(exited.exitCode, 0)
  t.true(daemon.output.text.trimEnd().endsWith('"stopped":true}'))
})
