/**
 * Replays the last 30 commits of a git repository (this one, or REPLAY_REPO=/path): for each commit, folder A is
 * made equal to its tree, then `sync once` on A and on B carries it A → server → B, both hops counted by the
 * counting proxy (headers and all), against `rsync -a` (no -z, as every other suite) of A to an rsync daemon, one
 * hop, its own --stats. The first sync is reported apart from the incremental steps. When the replayed commits
 * change no image, seeded photo-like files (incompressible, as JPEG is) are added at step 10 and one of them is
 * edited at step 20, so the mix of issue 20 (source, Markdown, images) is there. Goal: ≤ 1.0× rsync (issue 20).
 */
import {execFile} from 'node:child_process'
import {mkdir, mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'
import {seededRandom} from '../generate-recipes.js'
import type {Row} from '../lib/report.js'
import {repoRoot} from '../lib/repo-root.js'
import {startRsyncDaemon} from '../lib/rsync-daemon.js'
import {startSync, syncOnce} from '../lib/sync-setup.js'

const run = promisify(execFile)
const COMMITS = 30
const IMAGE = /\.(jpe?g|png|gif|webp|heic)$/i
const PHOTOS_AT = 10
const PHOTO_EDITED_AT = 20

async function git(repo: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const {stdout} = await run('git', ['-C', repo, ...args], {env: {...process.env, ...env}, maxBuffer: 1 << 28})
  return stdout
}

/** Makes `dir` hold `commit`'s tree: a private index of our own, so git rewrites only what changed and removes what went. */
async function checkout(repo: string, commit: string, dir: string, index: string): Promise<void> {
  await git(repo, ['--work-tree', dir, 'read-tree', '-u', '--reset', commit], {GIT_INDEX_FILE: index})
}

async function imagesChanged(repo: string, commits: string[]): Promise<boolean> {
  const names = await git(repo, ['diff', '--name-only', `${commits[0]}^`, commits.at(-1)!]).catch(() => '')
  return names.split('\n').some((name) => IMAGE.test(name))
}

/** Photo-like files: seeded random bytes, which compress no better than JPEG does. */
function photo(seed: number): Buffer {
  const random = seededRandom(seed)
  const bytes = Buffer.allocUnsafe(200_000 + Math.floor(random() * 200_000))
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256)
  return bytes
}

async function addPhotos(dir: string, step: number): Promise<void> {
  const photos = path.join(dir, 'replay-photos')
  await mkdir(photos, {recursive: true})
  if (step === PHOTOS_AT) for (let i = 0; i < 3; i++) await writeFile(path.join(photos, `photo-${i}.jpg`), photo(100 + i))
  if (step === PHOTO_EDITED_AT) {
    // An edit of the photo's metadata: its first 2 KB rewritten, the rest as it was.
    const file = path.join(photos, 'photo-1.jpg')
    const bytes = await readFile(file)
    photo(200).copy(bytes, 0, 0, 2048)
    await writeFile(file, bytes)
  }
}

/** Every file under `dir` but .sync/, path → bytes. */
async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  for (const entry of await readdir(dir, {withFileTypes: true, recursive: true})) {
    const full = path.join(entry.parentPath, entry.name)
    const relative = path.relative(dir, full)
    if (relative === '.sync' || relative.startsWith(`.sync${path.sep}`) || !entry.isFile()) continue
    files.set(relative, await readFile(full))
  }
  return files
}

async function assertEqual(a: string, b: string, step: number): Promise<void> {
  const [left, right] = [await snapshot(a), await snapshot(b)]
  const differing = [...new Set([...left.keys(), ...right.keys()])].filter(
    (name) => !left.get(name)?.equals(right.get(name) ?? Buffer.alloc(0)) || !right.has(name),
  )
  if (differing.length > 0) throw new Error(`step ${step}: b differs from a in ${differing.length} files (${differing.slice(0, 3).join(', ')})`)
}

export async function replaySuite(): Promise<Row[]> {
  const repo = process.env.REPLAY_REPO ?? repoRoot
  const commits = (await git(repo, ['rev-list', '--first-parent', '-n', String(COMMITS), 'HEAD'])).trim().split('\n').reverse()
  const withPhotos = !(await imagesChanged(repo, commits))
  const work = await mkdtemp(path.join(os.tmpdir(), 'sync-bench-replay-'))
  const ours: number[] = []
  const theirs: number[] = []
  try {
    const [a, b] = [path.join(work, 'a'), path.join(work, 'b')]
    const rsync = await startRsyncDaemon(work, path.join(work, 'rsync-dest'))
    const sync = await startSync(work)
    try {
      await sync.init(a, 'a')
      await sync.init(b, 'b')
      for (const [step, commit] of commits.entries()) {
        await checkout(repo, commit, a, path.join(work, 'index'))
        if (withPhotos) await addPhotos(a, step)
        theirs.push((await rsync.push(a, ['--exclude=/.sync'])).bytes)
        sync.proxy.reset()
        await syncOnce(a)
        await syncOnce(b)
        ours.push(sync.proxy.bytes())
        await assertEqual(a, b, step)
      }
    } finally {
      await sync.close()
      await rsync.close()
    }
  } finally {
    await rm(work, {recursive: true, force: true, maxRetries: 5})
  }
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)
  const name = path.basename(repo)
  const photos = withPhotos ? `; no image changed in them: 3 photo-like files added at step ${PHOTOS_AT}, one edited at step ${PHOTO_EDITED_AT}` : ''
  const row = (label: string, note: string, mine: number, reference: number): Row => ({
    suite: 'replay',
    name: label,
    note,
    ours: mine,
    reference,
    referenceName: 'rsync -a, one hop',
    unit: 'B',
    goal: {max: 1.0, on: 'ratio'},
  })
  return [
    row(`bytes on the wire, ${commits.length} commits of ${name}, both hops`, `sync once on A then on B per commit${photos}`, sum(ours), sum(theirs)),
    row('bytes on the wire, first sync, both hops', `the tree of ${commits[0].slice(0, 10)}`, ours[0], theirs[0]),
    row(`bytes on the wire, the ${commits.length - 1} incremental steps, both hops`, '', sum(ours.slice(1)), sum(theirs.slice(1))),
  ]
}
