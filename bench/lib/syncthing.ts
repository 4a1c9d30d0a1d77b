/**
 * Two Syncthing instances on 127.0.0.1 sharing one folder, for side-by-side latency runs. Discovery, relays,
 * NAT and usage reporting are off; the watcher delay is at its minimum (1 s in this version). Started and
 * stopped by the benchmark.
 */
import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {execFile, type ChildProcess} from 'node:child_process'
import {promisify} from 'node:util'
import {freePort, requireCommand, start, stop, waitFor} from './processes.js'

const run = promisify(execFile)
const API_KEY = 'sync-bench-key'
const FOLDER = 'bench'

interface Instance {
  home: string
  folder: string
  id: string
  port: number
  gui: number
  process?: ChildProcess
}

export interface SyncthingPair {
  a: string
  b: string
  /** Waits until both instances report the folder idle with nothing needed. */
  settled(timeoutMs?: number): Promise<void>
  /** Asks a to scan its folder now, without waiting for the watcher's delay. */
  scan(): Promise<void>
  /** Waits until b holds `files` files and has nothing left to fetch. */
  holds(files: number, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

function config(self: Instance, peer: Instance): string {
  const device = (d: Instance, address: string) =>
    `<device id="${d.id}" name="${d.id.slice(0, 7)}" compression="metadata"><address>${address}</address></device>`
  return `<configuration version="36">
  <folder id="${FOLDER}" label="${FOLDER}" path="${self.folder}" type="sendreceive" rescanIntervalS="3600" fsWatcherEnabled="true" fsWatcherDelayS="1" ignorePerms="false">
    <device id="${self.id}"></device><device id="${peer.id}"></device>
  </folder>
  ${device(self, 'dynamic')}
  ${device(peer, `tcp://127.0.0.1:${peer.port}`)}
  <gui enabled="true" tls="false"><address>127.0.0.1:${self.gui}</address><apikey>${API_KEY}</apikey></gui>
  <options>
    <listenAddress>tcp://127.0.0.1:${self.port}</listenAddress>
    <globalAnnounceEnabled>false</globalAnnounceEnabled>
    <localAnnounceEnabled>false</localAnnounceEnabled>
    <relaysEnabled>false</relaysEnabled>
    <natEnabled>false</natEnabled>
    <startBrowser>false</startBrowser>
    <urAccepted>-1</urAccepted>
    <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
    <crashReportingEnabled>false</crashReportingEnabled>
    <setLowPriority>false</setLowPriority>
  </options>
</configuration>
`
}

async function rest(instance: Instance, route: string, method = 'GET'): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${instance.gui}${route}`, {method, headers: {'X-API-Key': API_KEY}})
  if (!response.ok) throw new Error(`syncthing ${route}: ${response.status}`)
  return method === 'GET' ? response.json() : undefined
}

interface FolderStatus {
  state?: string
  needTotalItems?: number
  localFiles?: number
}

const folderStatus = (instance: Instance) => rest(instance, `/rest/db/status?folder=${FOLDER}`).catch(() => undefined) as Promise<FolderStatus | undefined>

export async function startSyncthingPair(work: string): Promise<SyncthingPair> {
  await requireCommand('syncthing', 'apt-get install syncthing')
  const instances: Instance[] = []
  for (const name of ['a', 'b']) {
    const home = path.join(work, `syncthing-${name}`)
    const folder = path.join(work, `folder-${name}`)
    await mkdir(folder, {recursive: true})
    const {stdout, stderr} = await run('syncthing', ['generate', `--home=${home}`, '--no-default-folder', '--skip-port-probing'])
    const id = /Device ID: (\S+)/.exec(stdout + stderr)?.[1]
    if (!id) throw new Error('syncthing generate printed no device id')
    instances.push({home, folder, id, port: await freePort(), gui: await freePort()})
  }
  const [a, b] = instances
  await writeFile(path.join(a.home, 'config.xml'), config(a, b))
  await writeFile(path.join(b.home, 'config.xml'), config(b, a))
  for (const instance of instances) {
    instance.process = start('syncthing', ['serve', `--home=${instance.home}`, '--no-browser', '--no-restart', '--no-upgrade'], {
      env: {...process.env, STNOUPGRADE: '1', STNODEFAULTFOLDER: '1'},
    })
  }
  const pair: SyncthingPair = {
    a: a.folder,
    b: b.folder,
    async settled(timeoutMs = 120_000) {
      await waitFor(
        'syncthing to settle',
        async () => {
          for (const instance of instances) {
            const status = await folderStatus(instance)
            if (status?.state !== 'idle' || status.needTotalItems !== 0) return false
          }
          return true
        },
        timeoutMs,
        50,
      )
    },
    async scan() {
      await rest(a, `/rest/db/scan?folder=${FOLDER}`, 'POST')
    },
    async holds(files, timeoutMs = 300_000) {
      await waitFor(
        `syncthing b to hold ${files} files`,
        async () => {
          const status = await folderStatus(b)
          return status?.state === 'idle' && status.needTotalItems === 0 && status.localFiles === files
        },
        timeoutMs,
        50,
      )
    },
    async close() {
      for (const instance of instances) if (instance.process) await stop(instance.process)
    },
  }
  await waitFor(
    'syncthing instances to connect',
    async () => {
      const connections = (await rest(a, '/rest/system/connections').catch(() => undefined)) as {connections?: Record<string, {connected: boolean}>} | undefined
      return connections?.connections?.[b.id]?.connected === true
    },
    60_000,
    100,
  )
  return pair
}
