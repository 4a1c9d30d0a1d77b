/**
 * The folder watcher on real files in a temp folder: what it reports, what it leaves out, what it never follows.
 * A path may be reported twice (by the tree watch and by the direct watch of a folder that just changed).
 */
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {appendFile, mkdir, rename, rm, stat, symlink, utimes, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test, {type ExecutionContext} from 'ava'
import {loadIgnoreRules} from '#src/scan/ignore-rules.js'
import {watchFolder} from '#src/sync/folder-watcher.js'
import {tempDir} from '../helpers/temp.js'
import {waitFor} from '../helpers/wait-for.js'

const WAIT_MS = 10_000

interface Setup {
  syncignore?: string
  /** More set-up before the watcher starts. */
  before?: (root: string) => Promise<void>
  /** Watch the folder through a symlink to it. */
  throughLink?: boolean
}

/** A synced-looking folder (with `.sync/`) and the paths its watcher reports, in order. */
async function watched(t: ExecutionContext, setup: Setup = {}) {
  const root = path.join(await tempDir(t), 'folder')
  await mkdir(path.join(root, '.sync'), {recursive: true})
  if (setup.syncignore) await writeFile(path.join(root, '.syncignore'), setup.syncignore)
  await setup.before?.(root)
  const link = `${root}-link`
  if (setup.throughLink) await symlink(root, link)
  const reported: string[] = []
  const watcher = await watchFolder(setup.throughLink ? link : root, await loadIgnoreRules(root), (paths) => reported.push(...paths))
  t.teardown(() => watcher.close())
  const file = (relative: string) => path.join(root, relative)
  /** Waits until `relative` is reported, itself or through a folder above it. */
  const reportedSoon = (relative: string) =>
    waitFor(`${relative} to be reported`, () => reported.some((p) => p === relative || relative.startsWith(`${p}/`)), WAIT_MS)
  /**
   * Appends a line to `relative` and waits for that very path (not a folder above it) to be reported. An edit made
   * while a folder above it is still being watched (a tree that just came) is covered by that folder's report,
   * which comes once the watch is in place: then a second edit must be reported by its own path.
   */
  const editReported = async (relative: string) => {
    reported.length = 0
    await appendFile(file(relative), 'one more line\n')
    await reportedSoon(relative)
    if (reported.includes(relative)) return
    reported.length = 0
    await appendFile(file(relative), 'and another\n')
    await waitFor(`the edit of ${relative}`, () => reported.includes(relative), WAIT_MS)
  }
  /** Renames `from` to `to` and waits for both names to be reported. */
  const renameReported = async (from: string, to: string) => {
    reported.length = 0
    await rename(file(from), file(to))
    await reportedSoon(from)
    await reportedSoon(to)
  }
  /** Events arrive in order: once a file written last is reported, anything written before it would have been too. */
  const settle = async () => {
    await writeFile(file('sentinel'), String(reported.length))
    await reportedSoon('sentinel')
  }
  return {root, reported, file, reportedSoon, editReported, renameReported, settle}
}

test('reports a create, a change, a rename (both names) and a delete', async (t) => {
  const {reported, file, reportedSoon, editReported, renameReported} = await watched(t)
  await writeFile(file('Risotto.cook'), 'rice\n')
  await reportedSoon('Risotto.cook')
  await editReported('Risotto.cook')
  await renameReported('Risotto.cook', 'Rice.cook')
  reported.length = 0
  await rm(file('Rice.cook'))
  await reportedSoon('Rice.cook')
  t.false(reported.includes(''), 'the folder itself is never reported')
})

test('reports an edit that leaves the mtime as it was, on a file read since (chokidar dropped it)', async (t) => {
  const {reported, file, reportedSoon, settle} = await watched(t)
  // Both versions get the same whole-second mtime, equal to the nanosecond as after two writes in one tick, and
  // an access time after it, as once the scan has read the file.
  const tick = 1_700_000_000
  const read = tick + 60
  await writeFile(file('Risotto.cook'), 'rice\n')
  await utimes(file('Risotto.cook'), read, tick)
  const before = await stat(file('Risotto.cook'), {bigint: true})
  await settle()
  reported.length = 0
  // Written beside and renamed over it, as editors save: the path never shows another mtime.
  await writeFile(file('.Risotto.cook.new'), 'RICE\n')
  await utimes(file('.Risotto.cook.new'), read, tick)
  await rename(file('.Risotto.cook.new'), file('Risotto.cook'))
  t.is((await stat(file('Risotto.cook'), {bigint: true})).mtimeNs, before.mtimeNs)
  await reportedSoon('Risotto.cook')
})

test('a file in a new subfolder is covered, and the subfolder is watched from then on', async (t) => {
  const {file, reportedSoon, editReported} = await watched(t)
  await mkdir(file('Soups'))
  await writeFile(file('Soups/Leek.cook'), 'leeks\n')
  await reportedSoon('Soups/Leek.cook')
  await editReported('Soups/Leek.cook')
  t.pass()
})

test('folders made at once (mkdir -p) are watched all the way down', async (t) => {
  const {file, reportedSoon, editReported} = await watched(t)
  await mkdir(file('Mains/Italian/Rice'), {recursive: true})
  await writeFile(file('Mains/Italian/Rice/Risotto.cook'), 'rice\n')
  await reportedSoon('Mains/Italian/Rice/Risotto.cook')
  await editReported('Mains/Italian/Rice/Risotto.cook')
  t.pass()
})

test('a tree moved in, then renamed, is watched all the way down under its new names', async (t) => {
  const {root, reported, file, reportedSoon, editReported, renameReported} = await watched(t)
  const outside = path.join(path.dirname(root), 'Downloads')
  await mkdir(path.join(outside, 'Cakes/Chocolate'), {recursive: true})
  await writeFile(path.join(outside, 'Cakes/Chocolate/Brownies.cook'), 'cocoa\n')
  await rename(path.join(outside, 'Cakes'), file('Cakes'))
  await reportedSoon('Cakes/Chocolate/Brownies.cook')
  await editReported('Cakes/Chocolate/Brownies.cook')
  await renameReported('Cakes', 'Baking')
  await editReported('Baking/Chocolate/Brownies.cook')
  reported.length = 0
  await rm(file('Baking'), {recursive: true})
  await reportedSoon('Baking')
  t.pass()
})

test('watches a folder reached through a symlink, with paths relative to it', async (t) => {
  const {file, reportedSoon, editReported} = await watched(t, {throughLink: true})
  await writeFile(file('Risotto.cook'), 'rice\n')
  await reportedSoon('Risotto.cook')
  await editReported('Risotto.cook')
  t.pass()
})

test('leaves out .sync/, temp files, editor droppings and what .syncignore excludes', async (t) => {
  const {reported, file, settle} = await watched(t, {syncignore: 'private/\n*.log\ncache/\n'})
  await writeFile(file('.sync/db'), 'lmdb pages')
  await writeFile(file('.Risotto.cook.sync-0123abcd.tmp'), 'half a download')
  await writeFile(file('Risotto.cook.swp'), 'vim')
  await mkdir(file('private'))
  await writeFile(file('private/diary.md'), 'secret')
  await writeFile(file('oven.log'), 'preheated')
  await mkdir(file('private/notes'))
  await writeFile(file('private/notes/diary.md'), 'secret')
  // A rule for folders only does not cover a file of that name: the scan syncs it, so it is reported.
  await writeFile(file('cache'), 'a file called cache')
  await settle()
  t.deepEqual([...new Set(reported)], ['cache', 'sentinel'])
})

test('never follows a symlink to a folder outside, whether it was there before or made while watching', async (t) => {
  const outsideOf = (root: string) => path.join(path.dirname(root), 'outside')
  const {root, reported, file, reportedSoon, settle} = await watched(t, {
    before: async (root) => {
      await mkdir(outsideOf(root))
      await symlink(outsideOf(root), path.join(root, 'before'))
    },
  })
  await symlink(outsideOf(root), file('during'))
  await reportedSoon('during')
  await writeFile(path.join(outsideOf(root), 'Risotto.cook'), 'rice\n')
  await mkdir(path.join(outsideOf(root), 'Soups'))
  await settle()
  t.deepEqual([...new Set(reported)], ['during', 'sentinel'])
})

test('a folder of recent changes, also watched directly for speed, still leaves ignored files out', async (t) => {
  const {reported, file, reportedSoon, editReported} = await watched(t, {syncignore: '*.log\n'})
  await mkdir(file('Soups'))
  await writeFile(file('Soups/Leek.cook'), 'leeks\n')
  await reportedSoon('Soups/Leek.cook')
  await editReported('Soups/Leek.cook')
  reported.length = 0
  await writeFile(file('Soups/stock.log'), 'simmered')
  await writeFile(file('Soups/Leek.cook.swp'), 'vim')
  await writeFile(file('Soups/.Leek.cook.sync-0123abcd.tmp'), 'half a download')
  // Events of one folder arrive in order: once the last file is reported, the others would have been.
  await writeFile(file('Soups/Onion.cook'), 'onions\n')
  await reportedSoon('Soups/Onion.cook')
  t.deepEqual([...new Set(reported)], ['Soups/Onion.cook'])
})

test('an event for a path whose folder was replaced by a file before the event was handled is no crash (a rule for folders only)', async (t) => {
  const {reported, file, editReported, settle} = await watched(t, {syncignore: 'build/\n'})
  await mkdir(file('src'))
  await writeFile(file('src/main.cook'), 'rice\n')
  // Reported by its own path: src/ is watched directly too from then on.
  await editReported('src/main.cook')
  // In one go, before any event is handled: whether src/build is a folder cannot be looked at when its event comes.
  mkdirSync(file('src/build'))
  rmSync(file('src'), {recursive: true})
  writeFileSync(file('src'), 'a file now\n')
  await settle()
  t.true(reported.includes('src'))
  t.false(reported.includes('src/src'), "the folder's own watch saying its name when it went is not a file in it")
})
