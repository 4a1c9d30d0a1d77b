/**
 * Big text files through two daemons (issue 13): a BIG_FILE_MB text file (default 100; 1024 for the issue's
 * 1 GB row, which takes minutes) and a 20,000-line file, both files of many chunks (tree manifests). Bytes on
 * the wire (a counting proxy) for a one-line edit of the big file and for moving each file, against rsync -a's
 * own --stats for the same change pushed to an rsync daemon; the initial sync A → B against rsync's first push;
 * the peak RSS of each daemon and of the server.
 * Goals: edit and move bytes ≤ 0.1× rsync's (a move is a rename, not a copy); peak RSS ≤ 250 MB.
 */
import {mkdir, mkdtemp, readFile, rename, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type {ChildProcess} from 'node:child_process'
import {recipeText} from '../generate-recipes.js'
import {waitFor} from '../lib/processes.js'
import type {Row} from '../lib/report.js'
import {startRsyncDaemon} from '../lib/rsync-daemon.js'
import {startSync} from '../lib/sync-setup.js'

const BIG = 'big.txt'
const LINES = 'lines.txt'

/** The highest RSS the process reached, in MB (VmHWM). */
async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024
}

function editOneLine(text: string): string {
  const at = text.indexOf('\n', Math.floor(text.length / 2)) + 1
  return `${text.slice(0, at)}an edited line\n${text.slice(at)}`
}

async function arrived(file: string, expected: string | undefined): Promise<void> {
  await waitFor(
    `${path.basename(file)} on b`,
    () =>
      readFile(file, 'utf8').then(
        (text) => text === expected,
        () => expected === undefined,
      ),
    600_000,
    20,
  )
}

export async function bigFileSuite(options: {megabytes?: number} = {}): Promise<Row[]> {
  const megabytes = options.megabytes ?? Number(process.env.BIG_FILE_MB ?? 100)
  const work = await mkdtemp(path.join(os.tmpdir(), 'sync-bench-big-'))
  try {
    const source = path.join(work, 'source')
    await mkdir(source)
    const big = recipeText(megabytes * 1024 * 1024, 11)
    const lines = recipeText(20_000 * 40, 12)
      .split('\n')
      .slice(0, 20_000)
      .join('\n')
    await writeFile(path.join(source, BIG), big)
    await writeFile(path.join(source, LINES), `${lines}\n`)

    const rsync = await startRsyncDaemon(work, path.join(work, 'rsync-dest'))
    const theirs: Record<string, {bytes: number; seconds: number}> = {}
    try {
      theirs.initial = await rsync.push(source)
      await writeFile(path.join(source, BIG), editOneLine(big))
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
      const step = async (name: string, change: () => Promise<void>, checks: [string, string | undefined][]) => {
        proxy.reset()
        const started = performance.now()
        await change()
        for (const [file, expected] of checks) await arrived(path.join(b, file), expected)
        ours[name] = {bytes: proxy.bytes(), ms: performance.now() - started}
      }
      await step(
        'initial',
        async () => {
          await writeFile(path.join(a, BIG), big)
          await writeFile(path.join(a, LINES), `${lines}\n`)
        },
        [
          [BIG, big],
          [LINES, `${lines}\n`],
        ],
      )
      const edited = editOneLine(big)
      await step('edit', () => writeFile(path.join(a, BIG), edited), [[BIG, edited]])
      await step('move', () => rename(path.join(a, BIG), path.join(a, `moved-${BIG}`)), [
        [`moved-${BIG}`, edited],
        [BIG, undefined],
      ])
      await step('moveLines', () => rename(path.join(a, LINES), path.join(a, `moved-${LINES}`)), [
        [`moved-${LINES}`, `${lines}\n`],
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
