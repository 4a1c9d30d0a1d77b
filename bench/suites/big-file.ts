/**
 * Big text files through two daemons (issue 13): a BIG_FILE_MB text file (default 100; BIG_FILE_MB=1024 for the
 * issue's 1 GB row, which takes several minutes and ~8 GB of disk) and a 20,000-line file, both files of many
 * chunks (tree manifests). `sync hashify` of the big file against sha256sum; bytes on the wire (a counting proxy)
 * for a one-line edit of the big file and for moving each file, against rsync -a's own --stats for the same change
 * pushed to an rsync daemon; the initial sync A → B against rsync's first push; the peak RSS of `sync hashify`,
 * of each daemon and of the server. The big file is written to disk in pieces (no 1 GB string) and put in place
 * with a rename, as an editor saves, so a daemon never sees it half-written; copies are compared by SHA-256.
 * Goals: edit and move bytes ≤ 0.1× rsync's (a move is a rename, not a copy); peak RSS ≤ 250 MB.
 */
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {copyFile, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {pipeline} from 'node:stream/promises'
import type {ChildProcess} from 'node:child_process'
import {recipeText, writeRecipeFile} from '../generate-recipes.js'
import {timeCommand} from '../lib/measure.js'
import {waitFor} from '../lib/processes.js'
import {repoRoot} from '../lib/repo-root.js'
import type {Row} from '../lib/report.js'
import {startRsyncDaemon} from '../lib/rsync-daemon.js'
import {startSync} from '../lib/sync-setup.js'

const BIG = 'big.txt'
const LINES = 'lines.txt'
const MB = 1024 * 1024
const syncBin = path.join(repoRoot, 'bin', 'run.js')

/** A file's expected content, by size and SHA-256 (a 1 GB file is not compared as a string). */
interface Content {
  size: number
  sha256: string
}

/** The highest RSS the process reached, in MB (VmHWM). */
async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(file), hash)
  return hash.digest('hex')
}

/** Whether `file` holds `expected` (absent when undefined); its size first, so a copy still arriving costs no read. */
async function holds(file: string, expected: Content | undefined): Promise<boolean> {
  const size = await stat(file).then(
    (info) => info.size,
    () => undefined,
  )
  if (expected === undefined || size === undefined) return expected === undefined && size === undefined
  return size === expected.size && (await sha256Of(file)) === expected.sha256
}

async function arrived(file: string, expected: Content | undefined): Promise<void> {
  await waitFor(`${path.basename(file)} on b`, () => holds(file, expected), 1_800_000, 20)
}

/** Puts a copy of `source` at `dest` at once: copied beside `source` (outside any synced folder), then renamed. */
async function place(source: string, dest: string): Promise<void> {
  const aside = `${source}.copy`
  await copyFile(source, aside)
  await rename(aside, dest)
}

/** `sync hashify` of `file` into a new folder's store, the ids to /dev/null, against sha256sum of the same file. */
async function hashify(work: string, file: string): Promise<{seconds: number; rssMb: number; sha256sum: number}> {
  const folder = path.join(work, 'hashify')
  await timeCommand('node', [syncBin, 'init', folder])
  // The file just written is on disk first, not written back during the timed run.
  execFileSync('sync')
  const ours = await timeCommand('sh', ['-c', 'exec "$0" hashify -C "$1" "$2" > /dev/null', syncBin, folder, file])
  const reference = await timeCommand('sha256sum', [file])
  await rm(folder, {recursive: true, force: true})
  return {seconds: ours.seconds, rssMb: ours.peakRssMb ?? 0, sha256sum: reference.seconds}
}

export async function bigFileSuite(options: {megabytes?: number} = {}): Promise<Row[]> {
  const megabytes = options.megabytes ?? Number(process.env.BIG_FILE_MB ?? 100)
  const work = await mkdtemp(path.join(os.tmpdir(), 'sync-bench-big-'))
  try {
    const source = path.join(work, 'source')
    await mkdir(source)
    const bytes = megabytes * MB
    const original = path.join(work, 'big-original.txt')
    const edited = path.join(work, 'big-edited.txt')
    const want = {
      original: await writeRecipeFile(original, bytes, 11),
      edited: await writeRecipeFile(edited, bytes, 11, {at: Math.floor(bytes / 2), line: 'an edited line\n'}),
    }
    const lines = recipeText(20_000 * 40, 12)
      .split('\n')
      .slice(0, 20_000)
      .join('\n')
    const linesText = `${lines}\n`
    const linesContent: Content = {size: Buffer.byteLength(linesText), sha256: createHash('sha256').update(linesText).digest('hex')}
    await place(original, path.join(source, BIG))
    await writeFile(path.join(source, LINES), linesText)
    const hashed = await hashify(work, original)

    const rsync = await startRsyncDaemon(work, path.join(work, 'rsync-dest'))
    const theirs: Record<string, {bytes: number; seconds: number}> = {}
    try {
      theirs.initial = await rsync.push(source)
      await place(edited, path.join(source, BIG))
      theirs.edit = await rsync.push(source)
      await rename(path.join(source, BIG), path.join(source, `moved-${BIG}`))
      theirs.move = await rsync.push(source)
      await rename(path.join(source, LINES), path.join(source, `moved-${LINES}`))
      theirs.moveLines = await rsync.push(source)
    } finally {
      await rsync.close()
    }

    const sync = await startSync(work)
    const {proxy} = sync
    const ours: Record<string, {bytes: number; ms: number}> = {}
    const peaks: Record<string, number> = {}
    try {
      const [a, b] = [path.join(work, 'a'), path.join(work, 'b')]
      await sync.init(a, 'a')
      await sync.init(b, 'b')
      const daemons: Record<string, ChildProcess> = {a: await sync.startDaemon(a), b: await sync.startDaemon(b)}
      const step = async (name: string, change: () => Promise<void>, checks: [string, Content | undefined][]) => {
        proxy.reset()
        const started = performance.now()
        await change()
        for (const [file, expected] of checks) await arrived(path.join(b, file), expected)
        ours[name] = {bytes: proxy.bytes(), ms: performance.now() - started}
      }
      await step(
        'initial',
        async () => {
          await place(original, path.join(a, BIG))
          await writeFile(path.join(a, LINES), linesText)
        },
        [
          [BIG, want.original],
          [LINES, linesContent],
        ],
      )
      await step('edit', () => place(edited, path.join(a, BIG)), [[BIG, want.edited]])
      await step('move', () => rename(path.join(a, BIG), path.join(a, `moved-${BIG}`)), [
        [`moved-${BIG}`, want.edited],
        [BIG, undefined],
      ])
      await step('moveLines', () => rename(path.join(a, LINES), path.join(a, `moved-${LINES}`)), [
        [`moved-${LINES}`, linesContent],
        [LINES, undefined],
      ])
      for (const [name, daemon] of Object.entries(daemons)) peaks[`daemon ${name}`] = await peakRssMb(daemon.pid!)
      peaks.server = await peakRssMb(sync.serverPid)
    } finally {
      await sync.close()
    }

    const note = `${megabytes} MB of recipe-like text; and 20,000 lines`
    const bytesRow = (name: string, key: string): Row => ({
      suite: 'big-file',
      name,
      note,
      ours: ours[key].bytes,
      reference: theirs[key].bytes,
      referenceName: 'rsync --stats',
      unit: 'B',
      goal: {max: 0.1, on: 'ratio'},
    })
    return [
      {
        suite: 'big-file',
        name: `sync hashify, ${megabytes} MB text`,
        note: `${want.original.size.toLocaleString('en')} bytes`,
        ours: hashed.seconds,
        reference: hashed.sha256sum,
        referenceName: 'sha256sum',
        unit: 's',
      },
      {suite: 'big-file', name: `peak RSS, sync hashify of ${megabytes} MB text`, ours: hashed.rssMb, unit: 'MB', goal: {max: 250, on: 'value'}},
      {
        suite: 'big-file',
        name: `initial sync A → B, ${megabytes} MB text + 20,000 lines`,
        note: 'daemons: write on A to identical on B',
        ours: ours.initial.ms / 1000,
        reference: theirs.initial.seconds,
        referenceName: 'rsync -a',
        unit: 's',
      },
      bytesRow(`bytes on the wire, one-line edit of the ${megabytes} MB file`, 'edit'),
      bytesRow(`bytes on the wire, move of the ${megabytes} MB file`, 'move'),
      bytesRow('bytes on the wire, move of a 20,000-line file', 'moveLines'),
      ...Object.entries(peaks).map(([name, mb]): Row => ({
        suite: 'big-file',
        name: `peak RSS, ${name}`,
        note,
        ours: mb,
        unit: 'MB',
        goal: {max: 250, on: 'value'},
      })),
    ]
  } finally {
    await rm(work, {recursive: true, force: true})
  }
}
