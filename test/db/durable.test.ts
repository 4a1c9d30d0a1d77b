/** durableTransaction against real LMDB: all of the work's writes, or none of them. */
import path from 'node:path'
import test from 'ava'
import {open} from 'lmdb'
import {durableTransaction} from '#src/db/durable.js'
import {tempDir} from '../helpers/temp.js'

async function database(t: Parameters<typeof tempDir>[0]) {
  const env = open({path: path.join(await tempDir(t), 'db')})
  t.teardown(() => env.close())
  return {env, db: env.openDB<number, string>({name: 'x'})}
}

test('a throw after some writes leaves none of them, and the next transaction works', async (t) => {
  const {env, db} = await database(t)
  await t.throwsAsync(
    durableTransaction(env, () => {
      db.putSync('first', 1)
      throw new Error('storage said no')
    }),
    {message: 'storage said no'},
  )
  t.is(db.get('first'), undefined)
  await durableTransaction(env, () => db.putSync('second', 2))
  t.is(db.get('second'), 2)
})

test("a storage error (LMDB's key size) after a good write leaves no trace of the good write", async (t) => {
  const {env, db} = await database(t)
  await t.throwsAsync(
    durableTransaction(env, () => {
      db.putSync('ok.txt', 1)
      db.putSync('k'.repeat(3000), 2)
    }),
    {message: /key size/i},
  )
  t.is(db.get('ok.txt'), undefined)
})
