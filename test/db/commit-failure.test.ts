/**
 * A commit that fails because the disk is full (a real tmpfs): the writer gets E_NO_SPACE, nothing of the
 * transaction is kept, the process does not die of lmdb-js's unhandled rejections (ava fails a test file that
 * has any), and writes work again once there is room.
 */
import {rm} from 'node:fs/promises'
import path from 'node:path'
import {durableTransaction} from '#src/db/durable.js'
import {openEnv} from '#src/db/open-env.js'
import {tempDir} from '../helpers/temp.js'
import {fill, smallDisk, withSmallDisk} from '../helpers/small-disk.js'

withSmallDisk('a commit on a full disk fails with E_NO_SPACE, keeps nothing, and the next one after freeing space works', async (t) => {
  const disk = await smallDisk(t, path.join(await tempDir(t), 'disk'), '4m')
  const env = openEnv(path.join(disk, 'db'))
  t.teardown(() => env.close())
  const db = env.openDB<string, string>({name: 'x'})
  await durableTransaction(env, () => db.putSync('before', 'kept'))
  const filler = path.join(disk, 'filler')
  await fill(filler)
  const big = 'v'.repeat(500)
  for (let attempt = 0; attempt < 3; attempt++) {
    const error = await t.throwsAsync(
      durableTransaction(env, () => {
        for (let i = 0; i < 2000; i++) db.putSync(`k${i}`, big)
      }),
    )
    t.is((error as {code?: string}).code, 'E_NO_SPACE')
    t.regex(error!.message, /^no space left for a database write: free some and try again \(No space left on device/)
  }
  t.is(db.get('k0'), undefined)
  t.is(db.get('before'), 'kept')
  await rm(filler)
  await durableTransaction(env, () => db.putSync('after', 'written'))
  t.is(db.get('after'), 'written')
})
