/** The pid lock on real files: one holder at a time, the pid there from the first instant, dead holders taken over. */
import {lstat, readlink, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {lockHolder, takePidLock} from '#src/util/pid-lock.js'
import {fill, smallDisk, withSmallDisk} from '../helpers/small-disk.js'
import {tempDir} from '../helpers/temp.js'

const busy = (pid: number) => Object.assign(new Error(`busy: ${pid}`), {pid})

test('the lock is a link to the pid, made at once; a second taker is refused with the holder; released, it can be taken again', async (t) => {
  const file = path.join(await tempDir(t), 'x.lock')
  const lock = await takePidLock(file, busy)
  t.true((await lstat(file)).isSymbolicLink())
  t.is(await readlink(file), String(process.pid))
  // Another process's view: the holder (a live pid, here the parent of this test process) is named.
  await lock.release()
  await writeFile(file, `${process.ppid}\n`)
  await t.throwsAsync(takePidLock(file, busy), {message: `busy: ${process.ppid}`})
})

test('a lock file left by a dead process (also the plain files earlier versions wrote) is taken over', async (t) => {
  const file = path.join(await tempDir(t), 'x.lock')
  await writeFile(file, '2147483646\n')
  const lock = await takePidLock(file, busy)
  t.is(await readlink(file), String(process.pid))
  await lock.release()
})

withSmallDisk('the lock can be taken on a full disk', async (t) => {
  const disk = await smallDisk(t, path.join(await tempDir(t), 'disk'), '1m')
  await fill(path.join(disk, 'filler'))
  const lock = await takePidLock(path.join(disk, 'x.lock'), busy)
  t.is(await readlink(path.join(disk, 'x.lock')), String(process.pid))
  await lock.release()
})

test('a holder may say what it is after its pid; readers get both, and a role-less lock has none', async (t) => {
  const file = path.join(await tempDir(t), 'x.lock')
  const lock = await takePidLock(file, busy, {role: 'daemon'})
  t.is(await readlink(file), `${process.pid}:daemon`)
  t.deepEqual(await lockHolder(file), {pid: process.pid, role: 'daemon'})
  await lock.release()
  t.is(await lockHolder(file), undefined)
  const plain = await takePidLock(file, busy)
  t.deepEqual(await lockHolder(file), {pid: process.pid})
  await plain.release()
  // Taken by another live process as a daemon: refused with its pid, as any holder.
  await writeFile(file, `${process.ppid}:daemon\n`)
  await t.throwsAsync(takePidLock(file, busy), {message: `busy: ${process.ppid}`})
  t.deepEqual(await lockHolder(file), {pid: process.ppid, role: 'daemon'})
})

test('a lock that names its place is held only there: elsewhere (a copy of its folder) it is stale, and taken over', async (t) => {
  const file = path.join(await tempDir(t), 'x.lock')
  await symlink(`${process.ppid}:daemon:7.1234`, file)
  t.deepEqual(await lockHolder(file, '7.1234'), {pid: process.ppid, role: 'daemon'})
  t.deepEqual(await lockHolder(file), {pid: process.ppid, role: 'daemon'}, 'a reader that knows no place takes it as held')
  t.is(await lockHolder(file, '7.999'), undefined)
  await t.throwsAsync(takePidLock(file, busy, {role: 'daemon', place: '7.1234'}), {message: `busy: ${process.ppid}`})
  await t.throwsAsync(takePidLock(file, busy), {message: `busy: ${process.ppid}`}, 'a taker that knows no place takes it as held')
  const lock = await takePidLock(file, busy, {role: 'daemon', place: '7.999', namePlace: true})
  t.is(await readlink(file), `${process.pid}:daemon:7.999`)
  await lock.release()
  // A holder with no role names its place after an empty role (an earlier version reads the pid, and no role).
  const named = await takePidLock(file, busy, {place: '7.999', namePlace: true})
  t.is(await readlink(file), `${process.pid}::7.999`)
  t.deepEqual(await lockHolder(file, '7.999'), {pid: process.pid})
  await named.release()
  const unnamed = await takePidLock(file, busy, {place: '7.999'})
  t.is(await readlink(file), String(process.pid), 'a place that only tells stale locks is not named')
  await unnamed.release()
})
