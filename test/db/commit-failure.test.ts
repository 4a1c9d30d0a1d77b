/**
 * Database writes on a full disk (a real tmpfs). A write is refused before LMDB writes a page when the disk has
 * not the room it keeps (room-for-write.ts: lmdb-js can corrupt its heap reporting a failed page write); a commit
 * that fails all the same (the disk filled by more than the write said it needs) is E_NO_SPACE too. Either way
 * nothing of the transaction is kept, the process does not die (of lmdb-js's unhandled rejections: ava fails a
 * test file that has any), and writes work again once there is room.
 */
import {rm} from 'node:fs/promises'
import path from 'node:path'
import type {ExecutionContext} from 'ava'
import {durableTransaction} from '#src/db/durable.js'
import {openEnv} from '#src/db/open-env.js'
import {freeBytes, RESERVE_BYTES} from '#src/db/room-for-write.js'
import {tempDir} from '../helpers/temp.js'
import {fill, smallDisk, withSmallDisk} from '../helpers/small-disk.js'

async function database(t: ExecutionContext) {
  const disk = await smallDisk(t, path.join(await tempDir(t), 'disk'))
  const env = openEnv(path.join(disk, 'db'))
  t.teardown(() => env.close())
  const db = env.openDB<string, string>({name: 'x'})
  await durableTransaction(env, () => db.putSync('before', 'kept'))
  return {disk, env, db}
}

const value = 'v'.repeat(500)

withSmallDisk('a write on a disk without the room kept free is refused before it starts, and works once there is room', async (t) => {
  const {disk, env, db} = await database(t)
  const filler = path.join(disk, 'filler')
  await fill(filler, RESERVE_BYTES + 600_000)
  await durableTransaction(env, () => db.putSync('small', 'fits'))
  for (let attempt = 0; attempt < 3; attempt++) {
    const error = await t.throwsAsync(
      durableTransaction(
        env,
        () => {
          for (let i = 0; i < 2000; i++) db.putSync(`k${i}`, value)
        },
        2000 * value.length,
      ),
    )
    t.is((error as {code?: string}).code, 'E_NO_SPACE', 'a write of about 1 MB needs twice that above the reserve')
    t.regex(
      error!.message,
      /^no space left for a database write: free some and try again \(\d+\.\d MiB free on the disk of .*; a database write leaves at least 4\.0 MiB\)$/,
    )
  }
  await rm(filler)
  await fill(filler)
  await t.throwsAsync(
    durableTransaction(env, () => db.putSync('tiny', 'x')),
    {code: 'E_NO_SPACE'},
    'a full disk refuses even a write of one page',
  )
  t.is(db.get('k0'), undefined)
  t.is(db.get('tiny'), undefined)
  t.is(db.get('small'), 'fits')
  await rm(filler)
  await durableTransaction(env, () => db.putSync('after', 'written'))
  t.is(db.get('after'), 'written')
  t.is(db.get('before'), 'kept')
})

withSmallDisk('a commit that fails for lack of space all the same is E_NO_SPACE, keeps nothing, and the next one after freeing space works', async (t) => {
  const {disk, env, db} = await database(t)
  const filler = path.join(disk, 'filler')
  // Room for the reserve and a little more; the write says nothing of its 6 MB.
  await fill(filler, RESERVE_BYTES + 64 * 1024)
  t.true((await freeBytes(disk))! >= RESERVE_BYTES)
  const error = await t.throwsAsync(
    durableTransaction(env, () => {
      for (let i = 0; i < 12_000; i++) db.putSync(`k${i}`, value)
    }),
  )
  t.is((error as {code?: string}).code, 'E_NO_SPACE')
  t.regex(error!.message, /^no space left for a database write: free some and try again \((No space left on device|.*, on a full disk\))/)
  t.is(db.get('k0'), undefined)
  t.is(db.get('before'), 'kept')
  await rm(filler)
  await durableTransaction(env, () => db.putSync('after', 'written'))
  t.is(db.get('after'), 'written')
})
