/**
 * A real sync-server subprocess and device folders initialised against it, through a counting proxy unless the
 * suite counts no bytes (`{proxy: false}`): the proxy relays every byte in the benchmark's own process, which
 * adds 10-50 ms to a request.
 */
import {execFile, type ChildProcess} from 'node:child_process'
import path from 'node:path'
import {promisify} from 'node:util'
import {startCountingProxy, type CountingProxy} from './counting-proxy.js'
import {start, stop, waitFor} from './processes.js'

const run = promisify(execFile)
export {repoRoot as root} from './repo-root.js'
import {repoRoot as root} from './repo-root.js'
export const syncBin = path.join(root, 'bin', 'run.js')
const serverBin = path.join(root, 'bin', 'sync-server.js')

export interface SyncSetup {
  url: string
  serverPid: number
  proxy?: CountingProxy
  /** `sync init`; `encrypt`: a device of the end-to-end encrypted namespace `bench-sealed`, with this passphrase. */
  init(dir: string, device: string, options?: {encrypt?: string}): Promise<void>
  /** A `sync daemon` on `dir`, with `args` added (e.g. --limit-up 20M). */
  startDaemon(dir: string, args?: string[]): Promise<ChildProcess>
  close(): Promise<void>
}

export async function startSync(work: string): Promise<SyncSetup & {proxy: CountingProxy}>
export async function startSync(work: string, options: {proxy: false}): Promise<SyncSetup>
export async function startSync(work: string, options: {proxy?: false} = {}): Promise<SyncSetup> {
  const data = path.join(work, 'server-data')
  const tokenOf = async (namespace: string) => (await run('node', [serverBin, 'token', '--data', data, '--namespace', namespace])).stdout.trim()
  const tokens = {bench: await tokenOf('bench'), 'bench-sealed': await tokenOf('bench-sealed')}
  // The bins run as programs, as installed (PATH, systemd): their sh line sets glibc's malloc (bin/run.js).
  const server = start(serverBin, ['--data', data, '--port', '0'])
  const url = await new Promise<string>((resolve, reject) => {
    server.stdout!.once('data', (line: Buffer) => resolve(/listening on (\S+)/.exec(line.toString())![1]))
    server.once('exit', () => reject(new Error('sync-server exited')))
  })
  const proxy = options.proxy === false ? undefined : await startCountingProxy(new URL(url))
  const daemons: ChildProcess[] = []
  return {
    url,
    serverPid: server.pid!,
    proxy,
    async init(dir, device, {encrypt} = {}) {
      const namespace = encrypt === undefined ? 'bench' : 'bench-sealed'
      const args = ['init', dir, '--server', proxy?.url ?? url, '--namespace', namespace, '--token', tokens[namespace], '--device', device]
      await run('node', [syncBin, ...args, ...(encrypt === undefined ? [] : ['--encrypt'])], {env: {...process.env, SYNC_PASSPHRASE: encrypt}})
    },
    async startDaemon(dir, args = []) {
      const daemon = start(syncBin, ['daemon', '--debounce', '10', '-C', dir, ...args])
      daemons.push(daemon)
      let out = ''
      daemon.stdout!.on('data', (d: Buffer) => (out += d.toString()))
      await waitFor('the daemon to start', () => out.includes('watching'), 20_000)
      return daemon
    },
    async close() {
      for (const daemon of daemons) await stop(daemon)
      await proxy?.close()
      await stop(server)
    },
  }
}

export async function syncOnce(dir: string): Promise<number> {
  const started = process.hrtime.bigint()
  await run('node', [syncBin, 'once', '-C', dir], {maxBuffer: 1 << 28})
  return Number(process.hrtime.bigint() - started) / 1e9
}
