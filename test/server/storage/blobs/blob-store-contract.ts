/**
 * What the server relies on from any BlobStore, registered as tests for one implementation: each test file calls
 * this with a factory that opens a fresh, empty store (its own folder or its own key prefix).
 */
import {createHash} from 'node:crypto'
import type {ExecutionContext, TestFn} from 'ava'
import {InvalidInputError, NotFoundError} from '#src/errors/index.js'
import type {BlobInfo, BlobStore} from '#server/storage/blobs/blob-store.js'
import {randomBytes} from '../../../helpers/random.js'

export type OpenEmptyStore = (t: ExecutionContext) => Promise<BlobStore>

const MB = 1024 * 1024

async function listed(store: BlobStore, prefix = ''): Promise<BlobInfo[]> {
  const all: BlobInfo[] = []
  for await (const info of store.list(prefix)) all.push(info)
  return all
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

export function blobStoreContract(test: TestFn, name: string, openEmpty: OpenEmptyStore): void {
  const open = async (t: ExecutionContext) => {
    const store = await openEmpty(t)
    t.teardown(() => store.close())
    return store
  }

  test(`${name}: a put object reads back whole and by range`, async (t) => {
    const store = await open(t)
    const bytes = randomBytes(10_000, 1)
    await store.put('packs/ab/pack-1', bytes)
    t.is(sha(await store.read('packs/ab/pack-1', 0, bytes.length)), sha(bytes))
    t.is((await store.read('packs/ab/pack-1', 0, 1)).toString('hex'), bytes.subarray(0, 1).toString('hex'))
    t.is(sha(await store.read('packs/ab/pack-1', 4321, 1000)), sha(bytes.subarray(4321, 5321)))
    t.deepEqual(await store.read('packs/ab/pack-1', bytes.length - 7, 7), bytes.subarray(bytes.length - 7))
    t.deepEqual(await store.read('packs/ab/pack-1', 5, 0), Buffer.alloc(0))
  })

  test(`${name}: reads of absent objects and past an object's end are NotFoundError`, async (t) => {
    const store = await open(t)
    await store.put('short', Buffer.from('0123456789'))
    await t.throwsAsync(store.read('absent', 0, 1), {instanceOf: NotFoundError})
    await t.throwsAsync(store.read('absent', 0, 0), {instanceOf: NotFoundError})
    await t.throwsAsync(store.read('short', 5, 6), {instanceOf: NotFoundError, message: /ends before byte 11/})
    await t.throwsAsync(store.read('short', 10, 1), {instanceOf: NotFoundError})
    await t.throwsAsync(store.read('short', 50, 10), {instanceOf: NotFoundError})
    t.deepEqual(await store.read('short', 5, 5), Buffer.from('56789'))
  })

  test(`${name}: delete removes an object; deleting an absent one is no error`, async (t) => {
    const store = await open(t)
    await store.put('a/one', Buffer.from('one'))
    await store.put('a/two', Buffer.from('two'))
    await store.delete('a/one')
    await store.delete('a/one')
    await store.delete('never/was')
    await t.throwsAsync(store.read('a/one', 0, 3), {instanceOf: NotFoundError})
    t.deepEqual(await listed(store), [{key: 'a/two', size: 3}])
  })

  test(`${name}: list gives the keys under a prefix in key order, with sizes, across many pages`, async (t) => {
    const store = await open(t)
    const keys = Array.from({length: 23}, (_, i) => `packs/${String(i % 5)}/p${String(i).padStart(3, '0')}`)
    for (const key of [...keys].reverse()) await store.put(key, Buffer.alloc(keys.indexOf(key) + 1, 1))
    await store.put('other/x', Buffer.from('x'))
    const all = await listed(store, 'packs/')
    t.deepEqual(
      all.map((info) => info.key),
      [...keys].sort(),
    )
    t.true(all.every((info) => info.size === keys.indexOf(info.key) + 1))
    t.deepEqual(
      (await listed(store, 'packs/3/')).map((info) => info.key),
      ['packs/3/p003', 'packs/3/p008', 'packs/3/p013', 'packs/3/p018'],
    )
    t.is((await listed(store)).length, 24)
    t.deepEqual(await listed(store, 'nothing/'), [])
  })

  test(`${name}: keys outside BLOB_KEY are refused with InvalidInputError and nothing is written`, async (t) => {
    const store = await open(t)
    const bad = ['', '/abs', '../up', 'a/../b', 'a//b', 'a/', '.hidden', 'sp ace', 'a\0b', 'x'.repeat(129), 'a/b/c/d/e/f/g/h/i']
    for (const key of bad) {
      await t.throwsAsync(store.put(key, Buffer.from('x')), {instanceOf: InvalidInputError}, JSON.stringify(key))
      await t.throwsAsync(store.read(key, 0, 1), {instanceOf: InvalidInputError}, JSON.stringify(key))
      await t.throwsAsync(store.delete(key), {instanceOf: InvalidInputError}, JSON.stringify(key))
    }
    t.deepEqual(await listed(store), [])
  })

  test(`${name}: concurrent puts of different objects all land intact`, async (t) => {
    const store = await open(t)
    const objects = Array.from({length: 16}, (_, i) => ({key: `c/${i}`, bytes: randomBytes(50_000 + i * 997, 100 + i)}))
    await Promise.all(objects.map(({key, bytes}) => store.put(key, bytes)))
    for (const {key, bytes} of objects) t.is(sha(await store.read(key, 0, bytes.length)), sha(bytes), key)
    t.is((await listed(store, 'c/')).length, objects.length)
  })

  test(`${name}: a 20 MB object reads back byte-exact`, async (t) => {
    const store = await open(t)
    const bytes = randomBytes(20 * MB, 7)
    await store.put('big/pack', bytes)
    t.deepEqual(await listed(store, 'big/'), [{key: 'big/pack', size: bytes.length}])
    t.is(sha(await store.read('big/pack', 0, bytes.length)), sha(bytes))
    t.is(sha(await store.read('big/pack', 13 * MB + 5, 4096)), sha(bytes.subarray(13 * MB + 5, 13 * MB + 5 + 4096)))
  })
}
