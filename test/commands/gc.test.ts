/**
 * `sync gc` as users run it: the real CLI as a subprocess against a real server, real folders. The store shrinks to what
 * the folder's versions need, a crash half-way leaves it whole, and a running daemon carries the collection out.
 */
import {readdir, stat, unlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {runSync, syncBin, text} from '../helpers/cli.js'
import {cliNamespace} from '../helpers/cli-namespace.js'
import {SyncFolder} from '#src/folder/sync-folder.js'
import {randomBytes} from '../helpers/random.js'
import {waitFor} from '../helpers/wait-for.js'

const MB = 1024 * 1024

/** Bytes of the files below `dir` (recursively), leaving out `.sync` when asked. */
async function bytesBelow(dir: string, options: {withoutSync?: boolean} = {}): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, {recursive: true, withFileTypes: true})) {
    const file = path.join(entry.parentPath, entry.name)
    if (options.withoutSync && path.relative(dir, file).split(path.sep)[0] === '.sync') continue
    if (entry.isFile()) total += (await stat(file)).size
  }
  return total
}

/** The ids that the versions in the folder's state name and its store lacks. */
async function unstored(root: string): Promise<string[]> {
  const folder = await SyncFolder.open(root)
  try {
    const absent: string[] = []
    for (const [, record] of folder.loadState().entries()) {
      for (const version of [record.local, record.base, record.remote]) {
        if (version?.manifest?.kind === 'file') absent.push(...folder.store.missing(version.manifest.ids.toHexArray()))
      }
    }
    return absent
  } finally {
    await folder.close()
  }
}

async function once(root: string): Promise<void> {
  const result = await runSync(['once'], {cwd: root})
  if (result.exitCode !== 0) throw new Error(`sync once exited ${result.exitCode}: ${text(result.stderr)}`)
}

/** A device whose photo was rewritten five times and then deleted; a 1 MB picture and the cookbook stay. */
async function photoHistory(t: Parameters<typeof cliNamespace>[0]) {
  const namespace = await cliNamespace(t)
  const a = await namespace.device('a', {cookbook: true})
  await writeFile(path.join(a, 'keep.jpg'), randomBytes(MB, 1))
  for (let version = 0; version < 5; version++) {
    await writeFile(path.join(a, 'photo.jpg'), randomBytes(3 * MB, 10 + version))
    await once(a)
  }
  await unlink(path.join(a, 'photo.jpg'))
  await once(a)
  return {...namespace, a}
}

test('a device that rewrote a 3 MB photo five times and deleted it: sync gc shrinks .sync to within 1.2x of its files, plus its database', async (t) => {
  const {a, device} = await photoHistory(t)
  const syncDir = path.join(a, '.sync')
  const before = await bytesBelow(syncDir)
  t.true(before > 15 * MB, `${before} bytes before`)
  const dry = await runSync(['gc', '--dry-run', '--grace', '0', '--json'], {cwd: a})
  t.is(dry.exitCode, 0, text(dry.stderr))
  t.is(await bytesBelow(syncDir), before, 'a dry run changes nothing')

  const gc = await runSync(['gc', '--grace', '0', '--json'], {cwd: a})
  t.is(gc.exitCode, 0, text(gc.stderr))
  const report = JSON.parse(text(gc.stdout))
  t.like(report, {dryRun: false, rewrittenPacks: 1, deletedPacks: 4})
  const estimate = JSON.parse(text(dry.stdout)).bytesAfter
  t.true(Math.abs(estimate - report.bytesAfter) <= 0.05 * report.bytesAfter, `the dry run's estimate ${estimate}, ${report.bytesAfter} stayed`)
  const live = await bytesBelow(a, {withoutSync: true})
  const packs = await bytesBelow(path.join(syncDir, 'packs'))
  const database = await bytesBelow(path.join(syncDir, 'db'))
  t.is(report.bytesAfter, packs)
  t.true(packs <= 1.2 * live, `${packs} bytes of packs for ${live} bytes of files`)
  // The fixed overhead: the LMDB database (index and sync state), which LMDB does not give back to the disk.
  t.true(database <= MB, `${database} bytes of database`)
  t.log({before, after: await bytesBelow(syncDir), live, packs, database})

  t.deepEqual(await unstored(a), [])
  t.is((await runSync(['fsck'], {cwd: a})).exitCode, 0)
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  // Everything still syncs from here: an edit goes out, and a new device gets the folder whole.
  await writeFile(path.join(a, 'keep.jpg'), Buffer.concat([randomBytes(MB, 1), Buffer.from('more')]))
  await once(a)
  const b = await device('b')
  await once(b)
  t.is(await bytesBelow(b, {withoutSync: true}), await bytesBelow(a, {withoutSync: true}))
})

test('sync gc killed mid-repack: fsck is clean, sync once works, and the next gc finishes the job', async (t) => {
  const {a} = await photoHistory(t)
  const killed = await runSync(['gc', '--grace', '0'], {cwd: a, env: {SYNC_CRASH_AT: 'gc-mid-repack'}})
  t.is(killed.signal, 'SIGKILL', text(killed.stderr))
  t.is((await runSync(['fsck'], {cwd: a})).exitCode, 0)
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  t.deepEqual(await unstored(a), [])
  const again = await runSync(['gc', '--grace', '0', '--json'], {cwd: a})
  t.is(again.exitCode, 0, text(again.stderr))
  const report = JSON.parse(text(again.stdout))
  t.true(report.orphanPacks >= 1, 'the half-written pack is deleted')
  t.true(report.bytesAfter <= 1.2 * (await bytesBelow(a, {withoutSync: true})))
  const fsck = await runSync(['fsck', '--json'], {cwd: a})
  t.is(fsck.exitCode, 0)
  t.deepEqual(JSON.parse(text(fsck.stdout)).damaged, [])
})

test('sync gc with a daemon running: handed to the daemon, which collects between passes and answers with its report', async (t) => {
  const {a} = await photoHistory(t)
  const daemon = execa('node', [syncBin, 'daemon', '--json'], {cwd: a, reject: false})
  t.teardown(() => daemon.kill('SIGKILL'))
  let out = ''
  daemon.stdout!.on('data', (data: Buffer) => (out += data.toString()))
  await waitFor('the daemon', () => out.includes('"watching"'), 60_000)
  const gc = await runSync(['gc', '--grace', '0', '--json'], {cwd: a})
  t.is(gc.exitCode, 0, text(gc.stderr))
  const report = JSON.parse(text(gc.stdout))
  t.like(report, {handedTo: daemon.pid, deletedPacks: 4, rewrittenPacks: 1})
  t.true(report.bytesAfter <= 1.2 * (await bytesBelow(a, {withoutSync: true})))
  await waitFor('the daemon says so', () => out.includes('"type":"gc","cause":"asked"'), 10_000)
  const human = await runSync(['gc', '--grace', '0'], {cwd: a})
  t.regex(text(human.stdout), new RegExp(`^the daemon \\(pid ${daemon.pid}\\) reclaimed 0.0 MB: .* chunks live`))
  // The daemon keeps syncing afterwards.
  await writeFile(path.join(a, 'new.txt'), 'after the collection\n')
  await waitFor('the upload', () => out.includes('"path":"new.txt"'), 30_000)
  daemon.kill('SIGTERM')
  await daemon
  t.is((await runSync(['fsck'], {cwd: a})).exitCode, 0)
})
