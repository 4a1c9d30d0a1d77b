/**
 * The delete guard and bulk restores as users run them: `sync` as a subprocess against a real server on a loopback port, real folders.
 */
import {readdir, readFile, rm, unlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {runSync, syncBin, text} from '../helpers/cli.js'
import {waitFor} from '../helpers/wait-for.js'
import {cliNamespace} from '../helpers/cli-namespace.js'

const setup = cliNamespace

/** Sets the folder's delete guard in .sync/config.json. */
async function guard(root: string, settings: {files?: number; fraction?: number}): Promise<void> {
  const file = path.join(root, '.sync', 'config.json')
  await writeFile(file, JSON.stringify({...JSON.parse(await readFile(file, 'utf8')), deleteGuard: settings}))
}

const breakfast = async (root: string) => (await readdir(path.join(root, 'Breakfast'))).sort()

test('once holds a mass delete (thresholds from the config) and exits 15; status says so; approve-deletes sends it', async (t) => {
  const {device} = await setup(t)
  const a = await device('a', {cookbook: true})
  const b = await device('b')
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  t.is((await runSync(['once'], {cwd: b})).exitCode, 0)
  await guard(a, {files: 3, fraction: 0.1})
  const before = await breakfast(b)
  await rm(path.join(a, 'Breakfast'), {recursive: true})
  const held = await runSync(['once'], {cwd: a})
  t.is(held.exitCode, 15, text(held.stderr))
  t.regex(
    text(held.stdout),
    /holding 8 deletions from this device \(more deletions in a short time than the delete guard allows\): 'sync approve-deletes' lets them through, 'sync restore --held' brings the files back/,
  )
  t.regex(text(held.stderr), /holding 8 deletions/)
  const status = await runSync(['status'], {cwd: a})
  t.regex(text(status.stdout), /holding 8 deletions from this device/)
  t.is((await runSync(['once'], {cwd: b})).exitCode, 0)
  t.deepEqual(await breakfast(b), before, 'b keeps them while they are held')

  const approve = await runSync(['approve-deletes', '--json'], {cwd: a})
  t.is(approve.exitCode, 0, text(approve.stderr))
  t.like(JSON.parse(text(approve.stdout)), {approved: 8, carriedOut: true})
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  await guard(b, {files: 3, fraction: 0.1})
  const arriving = await runSync(['once'], {cwd: b})
  t.is(arriving.exitCode, 15)
  t.regex(text(arriving.stdout), /holding 8 deletions from a /)
  const kept = await runSync(['restore', '--held'], {cwd: b})
  t.is(kept.exitCode, 0, text(kept.stderr))
  t.regex(text(kept.stdout), /brought back 8 files/)
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  t.deepEqual(await breakfast(a), before, 'b sent them back to a')
})

test("another device's deletions in slices, each under the thresholds, met by separate `sync once` runs: the second slice is held, as the window counts both", async (t) => {
  const {device} = await setup(t)
  const a = await device('a', {cookbook: true})
  const b = await device('b')
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  t.is((await runSync(['once'], {cwd: b})).exitCode, 0)
  await guard(b, {files: 3, fraction: 0.1})
  const files = await breakfast(a)
  for (const name of files.slice(0, 3)) await unlink(path.join(a, 'Breakfast', name))
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  const first = await runSync(['once'], {cwd: b})
  t.is(first.exitCode, 0, '3 deletions are not more than 3')
  t.deepEqual(await breakfast(b), files.slice(3))
  for (const name of files.slice(3, 6)) await unlink(path.join(a, 'Breakfast', name))
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  const second = await runSync(['once'], {cwd: b})
  t.is(second.exitCode, 15, '3 now and 3 in the run before: 6 of the 31 files')
  t.regex(
    text(second.stdout),
    /holding 3 deletions from a \(more deletions in a short time than the delete guard allows, with the 3 carried out in the hour before\)/,
  )
  t.deepEqual(await breakfast(b), files.slice(3))
  t.regex(text((await runSync(['status'], {cwd: b})).stdout), /holding 3 deletions from a \(.*, with the 3 carried out in the hour before\)/)
})

test('with a daemon running, an emptied folder is held, not propagated; restore --held is handed to the daemon, which brings the files back', async (t) => {
  const {device} = await setup(t)
  const a = await device('a', {cookbook: true})
  const b = await device('b')
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  t.is((await runSync(['once'], {cwd: b})).exitCode, 0)
  const daemon = execa('node', [syncBin, 'daemon', '--debounce', '10'], {cwd: a, reject: false})
  t.teardown(() => daemon.kill('SIGKILL'))
  let out = ''
  daemon.stdout!.on('data', (data: Buffer) => (out += data.toString()))
  await waitFor('the daemon', () => out.includes('watching'), 60_000)
  // At once, while the daemon's first pass may still be scanning: deletions a scan finds wait for the folder to be
  // quiet with the watcher's own (src/sync/deferred-deletions.ts), so the guard sees the whole rm -rf.
  for (const name of await readdir(a)) if (name !== '.sync') await rm(path.join(a, name), {recursive: true})
  await waitFor('the hold', () => out.includes('holding 31 deletions from this device (the folder looks empty'), 60_000).catch((error: Error) => {
    throw new Error(`${error.message}: ${out}`)
  })
  t.is((await runSync(['once'], {cwd: b})).exitCode, 0)
  t.true((await readdir(b)).length > 10, 'b still has the cookbook')
  const restore = await runSync(['restore', '--held', '--json'], {cwd: a})
  t.is(restore.exitCode, 0, text(restore.stderr))
  t.like(JSON.parse(text(restore.stdout)), {handedTo: daemon.pid})
  // Every held file back, not just one: a restore that stops part-way must fail here, saying where.
  const files = async (root: string) => (await readdir(root, {recursive: true})).filter((name) => !name.startsWith('.sync')).sort()
  const wanted = await files(b)
  // The same names, not just as many: files being written sit under temporary names until their batch is renamed.
  await waitFor('the cookbook back on a', async () => (await files(a)).join('\n') === wanted.join('\n'), 60_000).catch(async (error: Error) => {
    const have = new Set(await files(a))
    throw new Error(`${error.message}; missing on a: ${wanted.filter((name) => !have.has(name)).join(', ')}; the daemon said: ${out}`)
  })
  await unlink(path.join(a, 'Risotto.cook'))
  await waitFor('one deletion sent', () => out.includes('sent deletion of Risotto.cook'), 60_000).catch((error: Error) => {
    throw new Error(`${error.message}: ${out}`)
  })
  daemon.kill('SIGTERM')
  await daemon
  t.deepEqual(
    out.match(/sent deletion of .*/g)?.map((line) => line.replace(/ \(jid \d+\)/, '')),
    ['sent deletion of Risotto.cook'],
    out,
  )
})

test('restore --deleted-since brings back what a mass delete took, and DIR/ --jid N a folder as it was', async (t) => {
  const {device} = await setup(t)
  const a = await device('a', {cookbook: true})
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  const original = await readFile(path.join(a, 'Breakfast', 'Easy Pancakes.cook'), 'utf8')
  await writeFile(path.join(a, 'Breakfast', 'Easy Pancakes.cook'), 'changed later\n')
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  await rm(path.join(a, 'Breakfast'), {recursive: true})
  await guard(a, {files: 100})
  const deleted = await runSync(['once', '--json'], {cwd: a})
  t.like(JSON.parse(text(deleted.stdout)), {deleted: 8})
  const back = await runSync(['restore', '--deleted-since', '31'], {cwd: a})
  t.is(back.exitCode, 0, text(back.stderr))
  t.regex(text(back.stdout), /restored 8 files/)
  t.is(await readFile(path.join(a, 'Breakfast', 'Easy Pancakes.cook'), 'utf8'), 'changed later\n')
  const asAt31 = await runSync(['restore', 'Breakfast/', '--jid', '31'], {cwd: a})
  t.is(asAt31.exitCode, 0, text(asAt31.stderr))
  t.regex(text(asAt31.stdout), /restored 1 files/)
  t.is(await readFile(path.join(a, 'Breakfast', 'Easy Pancakes.cook'), 'utf8'), original)
  const status = JSON.parse(text((await runSync(['status', '--json'], {cwd: a})).stdout))
  t.deepEqual(status.pendingUploads, [])
})
