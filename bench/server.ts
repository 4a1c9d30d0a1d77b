/**
 * Server benchmark: a real `sync-server` subprocess on a free loopback port with a temp data folder, and 50
 * clients committing for 20 s, each a one-line edit of its own file (an edit script, the new line inline, durable
 * before the answer). Measures commits/s, commit latency, long-poll wake-up latency (a probe device commits in a
 * namespace of its own; a second one waits on it), and the server's RSS at start, middle and end. RSS counts the
 * pages of LMDB's memory-mapped files, which grow with the data written (page cache, not the process's own);
 * whether memory stays flat is judged on the rest (RssAnon: heap and native allocations). With `storage` and
 * `instances` (the scale-out suite), several servers share one storage (PostgreSQL): clients are spread over them,
 * and the probe's waiter listens on another instance than its writer commits to.
 * Usage: node dist/bench/server.js [--clients N] [--seconds S]
 */
import {execFileSync, spawn} from 'node:child_process'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {parseArgs} from 'node:util'
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {JournalClient} from '#src/journal/journal-client.js'
import {diffIds} from '#src/manifest/edits.js'
import {fileManifest} from '#src/manifest/manifest.js'
import {percentile} from './lib/measure.js'
import {markdownTable, type Row} from './lib/report.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const serverBin = path.join(root, 'bin', 'sync-server.js')

export interface ServerFigures {
  clients: number
  seconds: number
  commits: number
  commitsPerSecond: number
  commitP50Ms: number
  commitP99Ms: number
  /** From the committer receiving its answer to the waiter receiving the entry (0 when the waiter was first). */
  wakeP50Ms: number
  wakeP99Ms: number
  /** From the commit being sent to the waiter receiving the entry (includes making it durable). */
  wakeFromSendP50Ms: number
  wakes: number
  rss: {start: Memory; middle: Memory; end: Memory}
  /** Each instance's own memory (RssAnon, MB) at the middle and at the end, instance 0 first. */
  instancesAnonMb: {middle: number; end: number}[]
  /** Commits (each storing one new chunk) between the middle and the end. */
  commitsAfterMiddle: number
}

export interface ServerBenchOptions {
  clients?: number
  seconds?: number
  /** Where the servers keep their data, as sync-server's flags; default a temp data folder (LMDB). */
  storage?: string[]
  /** Servers on that storage (more than one needs a shared one: PostgreSQL). */
  instances?: number
}

/** Resident memory in MB: all of it, the process's own (heap and native allocations), and mapped files (LMDB). */
export interface Memory {
  totalMb: number
  anonMb: number
  fileMb: number
}

async function memoryOf(pid: number): Promise<Memory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const mb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)![1]) / 1024
  return {totalMb: mb('VmRSS'), anonMb: mb('RssAnon'), fileMb: mb('RssFile')}
}

/** One device's file: 20 lines; each edit rewrites one line. */
class EditedFile {
  private lines = Array.from({length: 20}, (_, i) => `Step ${i}: add @ingredient${i}{${i}%g} and stir for ~{${i}%minutes}.\n`)
  private ids = IdList.fromHex(this.lines.map((line) => sha256Hex(Buffer.from(line))))
  private edits = 0
  base: number | null = null

  constructor(readonly path: string) {}

  first() {
    const inline = new Map(this.lines.map((line) => [sha256Hex(Buffer.from(line)), Buffer.from(line)]))
    return {item: {path: this.path, base: null, manifest: fileManifest(this.ids, this.size())}, inline}
  }

  next() {
    const at = this.edits % this.lines.length
    this.lines[at] = `Step ${at}: edit ${++this.edits} of ${this.path}, stir again.\n`
    const bytes = Buffer.from(this.lines[at])
    const id = sha256Hex(bytes)
    const ids = IdList.fromHex(this.lines.map((_, i) => (i === at ? id : this.ids.hexAt(i))))
    const edits = diffIds(this.ids, ids)
    this.ids = ids
    return {item: {path: this.path, base: this.base!, edits, size: this.size(), exec: false}, inline: new Map([[id, bytes]])}
  }

  private size(): number {
    return this.lines.reduce((total, line) => total + Buffer.byteLength(line), 0)
  }
}

async function startServer(storage: string[]): Promise<{url: string; pid: number; stop: () => Promise<void>}> {
  const child = spawn('node', [serverBin, ...storage, '--port', '0'], {stdio: ['ignore', 'pipe', 'inherit']})
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (data: Buffer) => {
      const match = /listening on (\S+)/.exec(data.toString())
      if (match) resolve(match[1])
    })
    child.once('exit', (code) => reject(new Error(`sync-server exited with ${code}`)))
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM')
      await exited
    },
  }
}

export async function serverBench(options: ServerBenchOptions = {}): Promise<ServerFigures> {
  const clients = options.clients ?? 50
  const seconds = options.seconds ?? 20
  const data = await mkdtemp(path.join(os.tmpdir(), 'sync-bench-server-'))
  const storage = options.storage ?? ['--data', data]
  const token = (namespace: string) =>
    execFileSync('node', [serverBin, 'token', ...storage, '--namespace', namespace])
      .toString()
      .trim()
  const benchToken = token('bench')
  const probeToken = token('probe')
  const servers: Awaited<ReturnType<typeof startServer>>[] = []
  const open: JournalClient[] = []
  /** A client of instance `instance` (modulo the number of instances). */
  const connect = (namespace: string, secret: string, instance = 0) => {
    const client = new JournalClient({url: servers[instance % servers.length].url, namespace, token: secret})
    open.push(client)
    return client
  }
  const memories = () => Promise.all(servers.map((server) => memoryOf(server.pid)))
  try {
    for (let i = 0; i < (options.instances ?? 1); i++) servers.push(await startServer(storage))
    const server = servers[0]
    const devices = Array.from({length: clients}, (_, i) => ({client: connect('bench', benchToken, i), file: new EditedFile(`device ${i}/Risotto.cook`)}))
    for (const {client, file} of devices) {
      const {item, inline} = file.first()
      const [result] = await client.commit([item], {device: file.path, inline})
      if (result.status !== 'committed') throw new Error(`setup commit: ${JSON.stringify(result)}`)
      file.base = result.jid
    }
    const start = await memoryOf(server.pid)
    let middle: Memory | undefined
    let middles: Memory[] = []
    let commitsAtMiddle = 0
    const latencies: number[] = []
    const started = performance.now()
    const stop = started + seconds * 1000
    const halfway = setTimeout(
      () => {
        commitsAtMiddle = latencies.length
        void memories().then((all) => {
          middles = all
          middle = all[0]
        })
      },
      (seconds * 1000) / 2,
    )

    // The probe: one device commits in its own namespace, another waits on it.
    const probe = {writer: connect('probe', probeToken, 0), reader: connect('probe', probeToken, servers.length - 1), file: new EditedFile('probe.cook')}
    const sent = new Map<number, {send: number; ack: number}>()
    const received = new Map<number, number>()
    const waiting = new AbortController()
    const reader = (async () => {
      let since = 0
      while (!waiting.signal.aborted) {
        const page = await probe.reader.changes(since, {wait: 30, inline: 256 * 1024, signal: waiting.signal}).catch((error) => {
          if ((error as Error).name === 'AbortError') return undefined
          throw error
        })
        if (!page) break
        const now = performance.now()
        for (const entry of page.entries) received.set(entry.jid, now)
        since = page.last
      }
    })()
    const prober = (async () => {
      const first = probe.file.first()
      probe.file.base = ((await probe.writer.commit([first.item], {inline: first.inline}))[0] as {jid: number}).jid
      while (performance.now() < stop) {
        const {item, inline} = probe.file.next()
        const send = performance.now()
        const [result] = await probe.writer.commit([item], {inline})
        if (result.status !== 'committed') throw new Error(`probe commit: ${JSON.stringify(result)}`)
        sent.set(result.jid, {send, ack: performance.now()})
        probe.file.base = result.jid
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    })()

    await Promise.all(
      devices.map(async ({client, file}) => {
        while (performance.now() < stop) {
          const {item, inline} = file.next()
          const at = performance.now()
          const [result] = await client.commit([item], {device: file.path, inline})
          latencies.push(performance.now() - at)
          if (result.status !== 'committed') throw new Error(`commit: ${JSON.stringify(result)}`)
          file.base = result.jid
        }
      }),
    )
    const elapsed = (performance.now() - started) / 1000
    await prober
    // The last probe commit's entry may still be on its way to the reader.
    const until = performance.now() + 5000
    while (received.size < sent.size && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 5))
    waiting.abort()
    await reader
    clearTimeout(halfway)
    const ends = await memories()
    const end = ends[0]
    const wakes = [...sent]
      .filter(([jid]) => received.has(jid))
      .map(([jid, {send, ack}]) => ({fromAck: Math.max(0, received.get(jid)! - ack), fromSend: received.get(jid)! - send}))
    return {
      clients,
      seconds,
      commits: latencies.length,
      commitsPerSecond: latencies.length / elapsed,
      commitP50Ms: percentile(latencies, 50),
      commitP99Ms: percentile(latencies, 99),
      wakeP50Ms: percentile(
        wakes.map((w) => w.fromAck),
        50,
      ),
      wakeP99Ms: percentile(
        wakes.map((w) => w.fromAck),
        99,
      ),
      wakeFromSendP50Ms: percentile(
        wakes.map((w) => w.fromSend),
        50,
      ),
      wakes: wakes.length,
      rss: {start, middle: middle ?? end, end},
      instancesAnonMb: ends.map((memory, i) => ({middle: (middles[i] ?? memory).anonMb, end: memory.anonMb})),
      commitsAfterMiddle: latencies.length - commitsAtMiddle,
    }
  } finally {
    for (const client of open) client.close()
    for (const server of servers) await server.stop()
    await rm(data, {recursive: true, force: true})
  }
}

export function serverRows(figures: ServerFigures): Row[] {
  const suite = 'server'
  const note = `${figures.clients} clients, ${figures.seconds} s`
  return [
    {suite, name: 'durable one-line commits per second', ours: figures.commitsPerSecond, unit: 'commits/s', goal: {min: 1000, on: 'value'}, note},
    {suite, name: 'commit latency p50', ours: figures.commitP50Ms, unit: 'ms'},
    {suite, name: 'commit latency p99', ours: figures.commitP99Ms, unit: 'ms', goal: {max: 100, on: 'value'}},
    {
      suite,
      name: 'long-poll wake-up p50 (commit answered → waiter answered)',
      ours: figures.wakeP50Ms,
      unit: 'ms',
      goal: {max: 10, on: 'value'},
      note: `${figures.wakes} wake-ups`,
    },
    {suite, name: 'long-poll wake-up p99 (commit answered → waiter answered)', ours: figures.wakeP99Ms, unit: 'ms'},
    {suite, name: 'long-poll wake-up p50 (commit sent → waiter answered)', ours: figures.wakeFromSendP50Ms, unit: 'ms'},
    ...(['start', 'middle', 'end'] as const).map((when): Row => {
      const {totalMb, anonMb, fileMb} = figures.rss[when]
      return {
        suite,
        name: `server RSS at the ${when}`,
        ours: totalMb,
        unit: 'MB',
        note: `own ${anonMb.toFixed(0)} MB + mapped LMDB files ${fileMb.toFixed(0)} MB`,
      }
    }),
    {
      suite,
      name: "server's own memory at the end, against the middle (RSS without mapped files)",
      ours: figures.rss.end.anonMb,
      reference: figures.rss.middle.anonMb,
      referenceName: 'middle',
      unit: 'MB',
      goal: {max: 1.1, on: 'ratio'},
    },
    {
      suite,
      name: "growth of the server's own memory per commit, middle to end (each commit stores one new chunk)",
      ours: ((figures.rss.end.anonMb - figures.rss.middle.anonMb) * 1024 * 1024) / Math.max(1, figures.commitsAfterMiddle),
      unit: 'bytes',
    },
  ]
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const {values} = parseArgs({options: {clients: {type: 'string'}, seconds: {type: 'string'}}})
  const figures = await serverBench({
    clients: values.clients ? Number(values.clients) : undefined,
    seconds: values.seconds ? Number(values.seconds) : undefined,
  })
  console.log(markdownTable(serverRows(figures)))
}
