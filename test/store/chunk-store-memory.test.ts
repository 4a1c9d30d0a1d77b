/** ChunkStore.keepInMemory: how a device sends while its disk is full. Real LMDB and pack files around it. */
import {readdir} from 'node:fs/promises'
import {randomBytes} from 'node:crypto'
import test from 'ava'
import {tempStore} from '../helpers/store.js'

test('chunks kept in memory are readable here, never written or made durable, and forgotten when memory is dropped', async (t) => {
  const {store, packs, reopen} = await tempStore(t)
  const stored = store.add(Buffer.from('on disk before\n'))
  await store.flush()
  store.keepInMemory(1024 * 1024)
  const chunks = Array.from({length: 300}, () => randomBytes(1000))
  const ids = chunks.map((chunk) => store.add(chunk))
  await store.flush()
  t.deepEqual(await Promise.all(ids.map((id) => store.read(id))), chunks)
  t.is(store.missing(ids).length, 0)
  t.deepEqual(await readdir(packs), ['00000001.pack'], 'no pack written meanwhile')
  store.dropMemory()
  t.deepEqual(store.missing(ids), ids)
  t.is((await store.read(stored)).toString(), 'on disk before\n')
  // And nothing of them after a restart either; the store writes packs again.
  const again = await reopen()
  t.deepEqual(again.store.missing(ids), ids)
  const after = again.store.add(Buffer.from('on disk after\n'))
  await again.store.flush()
  t.is((await again.store.read(after)).toString(), 'on disk after\n')
})

test('past its budget the store fails with E_NO_SPACE, and takes chunks again once memory is dropped', async (t) => {
  const {store} = await tempStore(t)
  store.keepInMemory(1024 * 1024)
  const error = await t.throwsAsync(async () => {
    for (let i = 0; i < 400; i++) {
      store.add(randomBytes(4096))
      if (store.needsDrain) await store.drain()
    }
    await store.flush()
  })
  t.is((error as {code?: string}).code, 'E_NO_SPACE')
  t.regex(error!.message, /more changes than fit in memory \(1 MiB\)/)
  store.dropMemory()
  const id = store.add(Buffer.from('fine\n'))
  await store.flush()
  t.is((await store.read(id)).toString(), 'fine\n')
})
