/** An rsync daemon on 127.0.0.1 serving one writable module, for side-by-side runs (started and stopped by the bench). */
import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'
import {freePort, requireCommand, start, stop, waitFor} from './processes.js'

const run = promisify(execFile)

export interface RsyncDaemon {
  url: string
  /** rsync -a SOURCE/ to the module; returns seconds and the bytes rsync counted (sent + received). */
  push(source: string, extra?: string[]): Promise<{seconds: number; bytes: number}>
  close(): Promise<void>
}

export async function startRsyncDaemon(work: string, destination: string): Promise<RsyncDaemon> {
  await requireCommand('rsync', 'apt-get install rsync')
  await mkdir(destination, {recursive: true})
  const port = await freePort()
  const config = path.join(work, 'rsyncd.conf')
  const user = process.getuid?.() === 0 ? 'uid = root\ngid = root\n' : ''
  await writeFile(
    config,
    `address = 127.0.0.1\nport = ${port}\nuse chroot = no\npid file = ${path.join(work, 'rsyncd.pid')}\n${user}[dest]\npath = ${destination}\nread only = false\n`,
  )
  const daemon = start('rsync', ['--daemon', '--no-detach', `--config=${config}`])
  const url = `rsync://127.0.0.1:${port}/dest/`
  await waitFor(
    'rsync daemon',
    () =>
      run('rsync', [url]).then(
        () => true,
        () => false,
      ),
    10_000,
    20,
  )
  return {
    url,
    async push(source, extra = []) {
      const started = process.hrtime.bigint()
      const {stdout} = await run('rsync', ['-a', '--stats', ...extra, `${source}/`, url], {maxBuffer: 1 << 26})
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const sent = Number(/Total bytes sent: ([\d,.]+)/.exec(stdout)?.[1].replace(/[,.]/g, '') ?? 0)
      const received = Number(/Total bytes received: ([\d,.]+)/.exec(stdout)?.[1].replace(/[,.]/g, '') ?? 0)
      return {seconds, bytes: sent + received}
    },
    close: () => stop(daemon),
  }
}
