/**
 * System-level chaos (Dropbox's Trinity idea, Syncthing's loopback instances): N devices and a real
 * sync-server, all real processes; a seeded schedule of user edits, syncs, crashes at named points, SIGKILLs of
 * clients and of the server; then quiesce and check:
 *   - every folder is byte-for-byte equal to the others and to the server's head state;
 *   - every line any write ever made is still in some file, or was removed by a later user operation that saw
 *     it (each write adds lines no other write has, so merges and conflict copies are accounted too);
 *   - `sync fsck` on every device and `sync-server fsck` find nothing damaged.
 * Mode `once`: devices sync by `sync once` at scheduled points (the schedule decides the interleaving).
 * Mode `daemon`: each device runs `sync daemon`; the schedule adds edits, outages and kills around them.
 * Garbage collection runs throughout: the server prunes every version but the heads and collects every two
 * seconds (no grace: a commit whose chunks went meanwhile sends them again), and every tenth sync step runs
 * `sync gc` on its device (handed to its daemon when one runs).
 */
import {execFile, spawn, type ChildProcess} from 'node:child_process'
import {appendFile, lstat, mkdir, mkdtemp, open, readFile, readdir, readlink, rename, rm, symlink, unlink, writeFile} from 'node:fs/promises'
import {createServer} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {promisify} from 'node:util'
import {Chunker} from '#src/chunk/chunker.js'
import {blockingParent} from '#src/files/inside-folder.js'
import {sha256Hex} from '#src/chunk/hash.js'
import {JournalClient} from '#src/journal/journal-client.js'
import {manifestsEqual, type Manifest} from '#src/manifest/manifest.js'
import {IdList} from '#src/chunk/id-list.js'
import {repoRoot} from '../helpers/temp.js'
import {type Step, schedule} from './schedule.js'

const run = promisify(execFile)
const syncBin = path.join(repoRoot, 'bin', 'run.js')
const serverBin = path.join(repoRoot, 'bin', 'sync-server.js')

export interface ChaosOptions {
  seed: number
  ops: number
  devices: number
  mode: 'once' | 'daemon'
  log?: (line: string) => void
  /**
   * Serve from this PostgreSQL database (chunk bytes in a folder of the run) instead of a data folder, with
   * `instances` servers on it (default 1): device d talks to instance d mod N, and a server kill kills one of them.
   */
  postgres?: {db: string; instances?: number}
}

export interface ChaosReport {
  seed: number
  mode: string
  ops: number
  steps: Record<string, number>
  syncRuns: number
  crashes: Record<string, number>
  linesWritten: number
  linesRemovedByUsers: number
  finalFiles: number
  conflictCopies: number
  quiesceRounds: number
  /** Files whose held deletion `sync restore --held` undid at the end. */
  restoredHeld: number
  /** `sync gc` runs on devices during the run. */
  deviceGcRuns: number
  /** Server collections that reclaimed something (from its log). */
  serverGcRuns: number
  seconds: number
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const {port} = server.address() as {port: number}
      server.close(() => resolve(port))
    })
  })
}

function waitLine(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = ''
    const timer = setTimeout(() => reject(new Error(`no ${pattern} from a child within ${timeoutMs} ms: ${text}`)), timeoutMs)
    child.stdout!.on('data', (data: Buffer) => {
      text += data.toString()
      if (pattern.test(text)) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`child exited (${code}) before ${pattern}: ${text}`))
    })
  })
}

function killAndWait(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill(signal)
  })
}

const linesOf = (text: string) => text.split('\n').filter((l) => l.length > 0)

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now()
  const log = options.log ?? (() => {})
  const report: ChaosReport = {
    seed: options.seed,
    mode: options.mode,
    ops: options.ops,
    steps: {},
    syncRuns: 0,
    crashes: {},
    linesWritten: 0,
    linesRemovedByUsers: 0,
    finalFiles: 0,
    conflictCopies: 0,
    quiesceRounds: 0,
    restoredHeld: 0,
    deviceGcRuns: 0,
    serverGcRuns: 0,
    seconds: 0,
  }
  const work = await mkdtemp(path.join(os.tmpdir(), `sync-chaos-${options.seed}-`))
  const data = path.join(work, 'server')
  /** Where a user's deletions go first, to be read there (userOp). */
  const trash = path.join(work, 'trash')
  await mkdir(trash)
  let trashed = 0
  // Where the server keeps things: a data folder, or PostgreSQL and a folder of chunk packs.
  const storage = options.postgres ? ['--db', options.postgres.db, '--blobs', pathToFileURL(path.join(work, 'blobs')).href] : ['--data', data]
  if (options.postgres) await run('node', [serverBin, 'migrate', '--db', options.postgres.db])
  const instances = options.postgres?.instances ?? 1
  const ports: number[] = []
  for (let i = 0; i < instances; i++) ports.push(await freePort())
  const urls = ports.map((port) => `http://127.0.0.1:${port}`)
  const token = (await run('node', [serverBin, 'token', ...storage, '--namespace', 'chaos'])).stdout.trim()
  await run('node', [serverBin, 'namespace', 'set', 'chaos', ...storage, '--keep-days', '0', '--thin-days', '0'])
  const serverSettings: ServerSettings = {url: urls[0], namespace: 'chaos', token}
  const servers: (ChildProcess | undefined)[] = []
  let serverKills = 0
  const daemons: (ChildProcess | undefined)[] = []
  const online: boolean[] = []
  const dirs: string[] = []
  const written = new Set<string>()
  /** Per device, a folder outside it with a file nothing may touch, and the files only that device can hold. */
  const outside: string[] = []
  const unsyncable: Set<string>[] = []
  /** Per device, the paths its last `empty-folder` took away. */
  const emptied: Set<string>[] = []
  const removed = new Set<string>()
  let lineSeq = 0
  let failed = false

  const startServer = async (instance: number) => {
    for (let attempt = 0; ; attempt++) {
      const server = spawn('node', [serverBin, ...storage, '--port', String(ports[instance]), '--host', '127.0.0.1', ...SERVER_GC], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      servers[instance] = server
      const logFile = path.join(work, `server-${instance}.log`)
      server.stderr!.on('data', (data: Buffer) => void appendFile(logFile, data).catch(() => {}))
      try {
        await waitLine(server, /^listening on /)
        return
      } catch (error) {
        // The port may still be held for a moment after a SIGKILL.
        if (attempt >= 20) throw error
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  }
  const startDaemon = async (d: number) => {
    const child = spawn('node', [syncBin, 'daemon', '--debounce', '10', '-C', dirs[d]], {stdio: ['ignore', 'pipe', 'pipe']})
    daemons[d] = child
    const logFile = path.join(work, `daemon-${d}.log`)
    for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (data: Buffer) => void appendFile(logFile, data).catch(() => {}))
    await waitLine(child, /watching /)
  }
  const syncOnce = async (d: number, env: Record<string, string> = {}) => {
    report.syncRuns++
    const result = await run('node', [syncBin, 'once', '-C', dirs[d]], {env: {...process.env, ...env}}).then(
      ({stdout, stderr}) => ({code: 0, signal: null as string | null, stdout, stderr}),
      (error: {code?: number; signal?: string; stdout?: string; stderr?: string}) => ({
        code: error.code ?? -1,
        signal: error.signal ?? null,
        stdout: error.stdout ?? '',
        stderr: error.stderr ?? '',
      }),
    )
    // Kept beside the daemons' logs: what each run did, for a failure's post-mortem.
    await appendFile(
      path.join(work, `device-${d}.log`),
      `${new Date().toISOString()} once (exit ${result.code}${result.signal ? `, ${result.signal}` : ''})\n${result.stdout}${result.stderr}`,
    )
    // 0 in sync; 11 not yet (a change raced the pass); 8 server down; 15 deletions held by the delete guard;
    // killed: a crash point or our SIGKILL.
    if (result.signal === 'SIGKILL' || [0, 8, 11, 15].includes(result.code)) return result
    throw new Error(`sync once on device ${d} failed (exit ${result.code}): ${result.stderr.trim()}`)
  }
  /** `sync gc` on a device, everything unnamed going at once (handed to its daemon when one runs). */
  const collect = async (d: number) => {
    report.deviceGcRuns++
    const {stdout} = await run('node', [syncBin, 'gc', '--grace', '0', '--json', '-C', dirs[d]])
    await appendFile(path.join(work, `device-${d}.log`), `${new Date().toISOString()} gc\n${stdout}`)
  }
  let syncSteps = 0
  const fresh = (d: number) => {
    const line = `line ${++lineSeq} from device ${d} (seed ${options.seed})`
    written.add(line)
    report.linesWritten++
    return line
  }
  const readLines = async (file: string) => {
    const info = await lstat(file).catch(() => undefined)
    if (!info?.isFile()) return undefined
    return linesOf(await readFile(file, 'utf8'))
  }
  const forget = (lines: string[] | undefined) => {
    for (const line of lines ?? []) {
      if (!removed.has(line)) report.linesRemovedByUsers++
      removed.add(line)
    }
  }

  /**
   * A user's read-modify-write of one file, redone when the file was replaced between the read and the write
   * (a daemon's download renamed over it): an editor saving a stale buffer over a fresh download overwrites
   * lines it never saw, which no sync tool can tell from a deliberate edit; that is not what this test checks.
   */
  const rewrite = async (file: string, change: (lines: string[] | undefined) => string[] | undefined): Promise<boolean> => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const before = await lstat(file).catch(() => undefined)
      // A folder at a file's name (a clash made it): not a file to edit.
      if (before?.isDirectory()) return false
      const lines = before?.isFile() ? linesOf(await readFile(file, 'utf8')) : undefined
      const next = change(lines)
      // Made before the last look: between it and the write, no time for a download to land unseen (seed 1539: the
      // 12,000 lines of a create-large, joined after the look, let one land, and the write replaced it).
      const text = next?.map((l) => `${l}\n`).join('')
      const now = await lstat(file).catch(() => undefined)
      if (before?.ino !== now?.ino || before?.mtimeMs !== now?.mtimeMs || before?.size !== now?.size) continue
      if (text === undefined) return false
      // A file that was not there is made only while it still is not.
      const wrote = await writeFile(file, text, {flag: before ? 'w' : 'wx'}).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'EEXIST') return false
          throw error
        },
      )
      if (wrote) return true
    }
    return false
  }
  const unwrite = (lines: string[]) => {
    for (const line of lines) if (written.delete(line)) report.linesWritten--
  }

  /** Applies one user operation to a device's folder, recording the lines it removes. */
  const userOp = async (step: Extract<Step, {device: number}>) => {
    const root = dirs[step.device]
    const at = (relative: string) => path.join(root, relative)
    // A user whose folder was emptied does not write a new file over one the guard is holding (that would replace
    // the server's version, lines the checks below count on); once it is back here, it is theirs again.
    for (const target of [(step as {path?: string}).path, (step as {to?: string}).to]) {
      if (target === undefined || !emptied[step.device].has(target)) continue
      if (await lstat(at(target)).catch(() => undefined)) emptied[step.device].delete(target)
      else return
    }
    // A user's editor would follow a link in the path and write outside the folder; these users do not.
    const ensureParent = async (relative: string) => {
      if (blockingParent(root, relative) !== undefined) return false
      return mkdir(path.dirname(at(relative)), {recursive: true}).then(
        () => blockingParent(root, relative) === undefined,
        () => false,
      )
    }
    switch (step.kind) {
      case 'create':
      case 'create-large':
      case 'append': {
        if (!(await ensureParent(step.path))) return
        if ((await lstat(at(step.path)).catch(() => undefined))?.isSymbolicLink()) return
        const count = step.kind === 'create-large' ? 12_000 : step.kind === 'create' ? 2 : 1
        const added = Array.from({length: count}, () => fresh(step.device))
        if (!(await rewrite(at(step.path), (lines) => [...(lines ?? []), ...added]))) unwrite(added)
        return
      }
      case 'edit-line': {
        const replacement = fresh(step.device)
        let replaced: string | undefined
        const wrote = await rewrite(at(step.path), (lines) => {
          if (!lines || lines.length === 0) return undefined
          const i = Math.floor(step.pick * lines.length)
          replaced = lines[i]
          return lines.map((l, n) => (n === i ? replacement : l))
        })
        if (wrote) forget([replaced!])
        else unwrite([replacement])
        return
      }
      // What is removed is exactly what was read: a daemon's download renamed over the file between a read and a
      // removal by name would take lines the user never saw (seed 1409: a truncate emptied the version that had
      // just arrived, whose new line the read before it had not seen).
      case 'delete': {
        const info = await lstat(at(step.path)).catch(() => undefined)
        if (!info || info.isDirectory()) return
        // Moved out first (a rename takes whatever is at the name at that instant), then read.
        const taken = path.join(trash, `${trashed++}`)
        if (
          !(await rename(at(step.path), taken).then(
            () => true,
            () => false,
          ))
        )
          return
        // A folder that came at the name meanwhile (a clash) is not what this user deletes.
        if ((await lstat(taken)).isDirectory()) return void (await rename(taken, at(step.path)).catch(() => {}))
        forget(await readLines(taken))
        await rm(taken, {force: true})
        return
      }
      case 'truncate': {
        const info = await lstat(at(step.path)).catch(() => undefined)
        if (!info?.isFile()) return
        // Read and emptied through one handle: one file, though the name may point at another by the end.
        const handle = await open(at(step.path), 'r+').catch(() => undefined)
        if (!handle) return
        try {
          forget(linesOf(await handle.readFile('utf8')))
          await handle.truncate(0)
        } finally {
          await handle.close()
        }
        return
      }
      case 'rename': {
        if (!(await lstat(at(step.path)).catch(() => undefined)) || (await lstat(at(step.to)).catch(() => undefined))) return
        if (!(await ensureParent(step.to))) return
        await rename(at(step.path), at(step.to)).catch(() => {})
        return
      }
      case 'move-folder': {
        if (!(await lstat(at(step.folder)).catch(() => undefined))?.isDirectory() || (await lstat(at(step.to)).catch(() => undefined))) return
        if (!(await ensureParent(step.to))) return
        await rename(at(step.folder), at(step.to)).catch(() => {})
        return
      }
      case 'link-out': {
        if (await lstat(at(step.path)).catch(() => undefined)) return
        if (!(await ensureParent(step.path))) return
        await symlink(step.up ? '..' : outside[step.device], at(step.path))
        return
      }
      case 'ignore-rule': {
        const file = at(step.own ? '.sync/ignore' : '.syncignore')
        const toggle = (lines: string[] | undefined) => (lines?.includes(step.rule) ? lines.filter((l) => l !== step.rule) : [...(lines ?? []), step.rule])
        if ((await lstat(file).catch(() => undefined))?.isSymbolicLink()) return
        await rewrite(file, toggle)
        return
      }
      case 'unsyncable-name': {
        const relative = step.long ? LONG_PATH : 'bell\u0007.cook'
        if (!(await ensureParent(relative)) || (await lstat(at(relative)).catch(() => undefined))) return
        await writeFile(at(relative), 'a name no other device can have\n')
        unsyncable[step.device].add(relative)
        return
      }
      case 'clash': {
        if (await lstat(at(step.path)).catch(() => undefined)) return
        if (!(await ensureParent(step.path))) return
        const added = [fresh(step.device), fresh(step.device)]
        if (!(await rewrite(at(step.path), (lines) => (lines ? undefined : added)))) unwrite(added)
        return
      }
      case 'empty-folder': {
        // The device syncs, its user wipes the folder, and it syncs again at once (a daemon is stopped meanwhile),
        // so the guard judges the whole wipe in one pass. Held (exit 15): the files must come back at the end
        // (restore --held), so their lines count; let through (a wipe within the thresholds): their lines go.
        if (!online[step.device]) return
        if (options.mode === 'daemon') await killAndWait(daemons[step.device], 'SIGTERM')
        await syncOnce(step.device)
        const heads = await serverHeads(serverSettings)
        const files = await snapshot(root)
        for (const name of await readdir(root)) if (name !== '.sync') await rm(at(name), {recursive: true, force: true})
        const held = (await syncOnce(step.device)).code === 15
        for (const [relative, entry] of files) {
          if (held) emptied[step.device].add(relative)
          if (entry.kind === 'file' && (!held || !manifestsEqual(heads.get(relative), manifestOf(entry)))) forget(linesOf(entry.text))
        }
        if (options.mode === 'daemon') await startDaemon(step.device)
        return
      }
      case 'symlink': {
        const info = await lstat(at(step.path)).catch(() => undefined)
        if (info?.isDirectory()) return
        if (info) {
          forget(await readLines(at(step.path)))
          await unlink(at(step.path))
        } else if (!(await ensureParent(step.path))) return
        await symlink(step.target, at(step.path))
        return
      }
    }
  }

  try {
    for (let i = 0; i < instances; i++) await startServer(i)
    for (let d = 0; d < options.devices; d++) {
      outside.push(path.join(work, `outside-${d}`))
      unsyncable.push(new Set())
      emptied.push(new Set())
      await mkdir(outside[d])
      await writeFile(path.join(outside[d], 'keep.txt'), `${OUTSIDE_LINE} ${d}\n`)
      dirs.push(path.join(work, `device-${d}`))
      online.push(true)
      await run('node', [syncBin, 'init', dirs[d], '--server', urls[d % instances], '--namespace', 'chaos', '--token', token, '--device', `dev${d}`])
      // Folders of a few dozen files: a guard scaled to them, so that an emptied folder is held even when the user
      // writes a new file before the next pass (the defaults, 50 files, are for real folders).
      const config = path.join(dirs[d], '.sync', 'config.json')
      await writeFile(config, JSON.stringify({...JSON.parse(await readFile(config, 'utf8')), deleteGuard: CHAOS_GUARD}))
      if (options.mode === 'daemon') await startDaemon(d)
    }
    for (const step of schedule(options.seed, options.ops, options.devices)) {
      report.steps[step.kind] = (report.steps[step.kind] ?? 0) + 1
      log(JSON.stringify(step))
      await appendFile(path.join(work, 'steps.log'), `${new Date().toISOString()} ${JSON.stringify(step)} (next line ${lineSeq + 1})\n`)
      switch (step.kind) {
        case 'sync':
          if (++syncSteps % 10 === 0) await collect(step.device)
          if (options.mode === 'once') {
            if (online[step.device]) await syncOnce(step.device)
          } else await new Promise((resolve) => setTimeout(resolve, 30 + ((step.device * 37) % 100)))
          break
        case 'crash-sync':
          if (options.mode === 'once' && online[step.device]) {
            const result = await syncOnce(step.device, {SYNC_CRASH_AT: step.point})
            if (result.signal === 'SIGKILL') report.crashes[step.point] = (report.crashes[step.point] ?? 0) + 1
          }
          break
        case 'kill-daemon':
          if (!online[step.device]) break
          report.crashes['client SIGKILL mid-work'] = (report.crashes['client SIGKILL mid-work'] ?? 0) + 1
          if (options.mode === 'daemon') {
            await killAndWait(daemons[step.device], 'SIGKILL')
            await startDaemon(step.device)
          } else {
            // A pass killed at an arbitrary moment of its work.
            const child = spawn('node', [syncBin, 'once', '-C', dirs[step.device]], {stdio: 'ignore'})
            await new Promise((resolve) => setTimeout(resolve, 150 + ((lineSeq * 53) % 250)))
            await killAndWait(child, 'SIGKILL')
          }
          break
        case 'offline':
          if (online[step.device] && options.mode === 'daemon') await killAndWait(daemons[step.device], 'SIGTERM')
          online[step.device] = false
          break
        case 'online':
          if (!online[step.device] && options.mode === 'daemon') await startDaemon(step.device)
          online[step.device] = true
          break
        case 'kill-server': {
          report.crashes['server SIGKILL'] = (report.crashes['server SIGKILL'] ?? 0) + 1
          // Each kill takes the next instance in turn: with several, the others serve on meanwhile.
          const instance = serverKills++ % instances
          await killAndWait(servers[instance], 'SIGKILL')
          await startServer(instance)
          break
        }
        default:
          await userOp(step)
      }
    }

    // Quiesce: daemons stopped cleanly, server up, every device syncs until all agree. The users take their rules
    // away (so every device tracks everything again) and the files no other device can hold.
    for (const daemon of daemons) await killAndWait(daemon, 'SIGTERM')
    for (let d = 0; d < options.devices; d++) {
      await rm(path.join(dirs[d], '.sync', 'ignore'), {force: true})
      for (const relative of unsyncable[d]) await rm(path.join(dirs[d], relative.split('/')[0]), {recursive: true, force: true})
    }
    let agreed = false
    for (let round = 0; round < 6 && !agreed; round++) {
      report.quiesceRounds++
      let allInSync = true
      for (let d = 0; d < options.devices; d++) {
        // Held deletions (an emptied folder) are undone: their files come back.
        const restored = await run('node', [syncBin, 'restore', '--held', '--json', '-C', dirs[d]])
        report.restoredHeld += (JSON.parse(restored.stdout) as {restored: string[]}).restored.length
        const rules = path.join(dirs[d], '.syncignore')
        if ((await lstat(rules).catch(() => undefined))?.isFile() && (await readFile(rules, 'utf8')) !== '') await writeFile(rules, '')
        if ((await syncOnce(d)).code !== 0) allInSync = false
      }
      const trees = await Promise.all(dirs.map(snapshot))
      agreed = allInSync && trees.every((tree) => sameTree(tree, trees[0]))
    }
    const trees = await Promise.all(dirs.map(snapshot))
    for (let d = 1; d < trees.length; d++) {
      if (!sameTree(trees[d], trees[0])) throw new Error(`device ${d} differs from device 0 after quiescing: ${diffTrees(trees[0], trees[d])}`)
    }
    await checkAgainstServer(trees[0], serverSettings)
    const finalLines = new Set<string>()
    for (const entry of trees[0].values()) if (entry.kind === 'file') for (const line of linesOf(entry.text)) finalLines.add(line)
    const lost = [...written].filter((line) => !finalLines.has(line) && !removed.has(line))
    if (lost.length > 0) throw new Error(`${lost.length} written lines were lost, e.g. "${lost[0]}"`)
    await checkOutsideUntouched(outside, trees[0])
    for (const dir of dirs) await run('node', [syncBin, 'fsck', '-C', dir])
    await run('node', [serverBin, 'fsck', ...storage])
    let serverLog = ''
    for (let i = 0; i < instances; i++) serverLog += await readFile(path.join(work, `server-${i}.log`), 'utf8').catch(() => '')
    if (/gc stopped/.test(serverLog)) throw new Error(`the server's garbage collection failed: ${/.*gc stopped.*/.exec(serverLog)![0]}`)
    report.serverGcRuns = [...serverLog.matchAll(/gc chaos: pruned (\d+) versions, (\d+) -> (\d+) bytes/g)].filter((m) => m[1] !== '0' || m[2] !== m[3]).length
    report.finalFiles = trees[0].size
    report.conflictCopies = [...trees[0].keys()].filter((p) => p.includes('(conflict ')).length
    report.seconds = (Date.now() - started) / 1000
    return report
  } catch (error) {
    failed = true
    ;(error as Error).message += ` (artifacts kept in ${work}: steps.log, daemon-N.log, the folders)`
    throw error
  } finally {
    for (const daemon of daemons) await killAndWait(daemon, 'SIGKILL')
    for (const server of servers) await killAndWait(server, 'SIGKILL')
    if (!failed) await rm(work, {recursive: true, force: true})
  }
}

/** The server collects every two seconds, keeping only the heads, and leaves no pack alone for being recent. */
const SERVER_GC = ['--gc-every', '2s', '--gc-grace', '0s']

/** The delete guard of every chaos device (scaled to folders of a few dozen files). */
const CHAOS_GUARD = {files: 5, fraction: 0.2}

/** The line in every outside folder's file: it must never reach a synced file, and the file must never change. */
const OUTSIDE_LINE = 'outside the synced folder, device'
/** Over the protocol's path length, each name within a disk's 255 bytes. */
const LONG_PATH = ['deep', ...'defgh'].map((c, i) => (i === 0 ? c : c.repeat(250))).join('/') + '/long.cook'

async function checkOutsideUntouched(outside: string[], tree: Map<string, Entry>): Promise<void> {
  for (const [d, dir] of outside.entries()) {
    const names = await readdir(dir)
    if (names.length !== 1 || (await readFile(path.join(dir, 'keep.txt'), 'utf8')) !== `${OUTSIDE_LINE} ${d}\n`) {
      throw new Error(`the folder outside device ${d} was changed through a link: ${names.join(', ')}`)
    }
  }
  for (const [p, entry] of tree)
    if (entry.kind === 'file' && entry.text.includes(OUTSIDE_LINE)) throw new Error(`${p} holds a file from outside the synced folder`)
}

type Entry = {kind: 'file'; text: string} | {kind: 'symlink'; target: string}

async function snapshot(root: string): Promise<Map<string, Entry>> {
  const out = new Map<string, Entry>()
  const walk = async (dir: string) => {
    for (const entry of await readdir(path.join(root, dir), {withFileTypes: true})) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name
      if (relative === '.sync') continue
      if (entry.isDirectory()) await walk(relative)
      else if (entry.isSymbolicLink()) out.set(relative, {kind: 'symlink', target: await readlink(path.join(root, relative))})
      else out.set(relative, {kind: 'file', text: await readFile(path.join(root, relative), 'latin1')})
    }
  }
  await walk('')
  return out
}

const sameTree = (a: Map<string, Entry>, b: Map<string, Entry>) => a.size === b.size && [...a].every(([p, e]) => JSON.stringify(b.get(p)) === JSON.stringify(e))

function diffTrees(a: Map<string, Entry>, b: Map<string, Entry>): string {
  const paths = new Set([...a.keys(), ...b.keys()])
  return [...paths]
    .filter((p) => JSON.stringify(a.get(p)) !== JSON.stringify(b.get(p)))
    .slice(0, 5)
    .join(', ')
}

function manifestOf(entry: Entry): Manifest {
  if (entry.kind === 'symlink') return {kind: 'symlink', target: entry.target}
  const ids = new IdList()
  const chunker = new Chunker('text')
  const bytes = Buffer.from(entry.text, 'latin1')
  chunker.push(bytes, (c) => ids.pushHex(sha256Hex(c)))
  chunker.end((c) => ids.pushHex(sha256Hex(c)))
  return {kind: 'file', size: bytes.length, exec: false, ids}
}

type ServerSettings = {url: string; namespace: string; token: string}

/** The server's present files, by path (the server may be down: then nothing). */
async function serverHeads(settings: ServerSettings): Promise<Map<string, Manifest>> {
  const client = new JournalClient(settings)
  const heads = new Map<string, Manifest>()
  try {
    let after: string | undefined
    for (;;) {
      const page = await client.heads({after})
      for (const head of page.heads) if (head.manifest) heads.set(head.path, head.manifest)
      if (!page.more || page.heads.length === 0) break
      after = page.heads.at(-1)!.path
    }
  } catch (error) {
    if ((error as {code?: string}).code !== 'E_NETWORK') throw error
  } finally {
    client.close()
  }
  return heads
}

async function checkAgainstServer(tree: Map<string, Entry>, settings: ServerSettings): Promise<void> {
  const heads = await serverHeads(settings)
  if (heads.size !== tree.size) throw new Error(`the server has ${heads.size} files, the folders ${tree.size}`)
  for (const [p, entry] of tree) {
    if (!manifestsEqual(heads.get(p), manifestOf(entry))) throw new Error(`${p} differs between the folders and the server's head`)
  }
}
