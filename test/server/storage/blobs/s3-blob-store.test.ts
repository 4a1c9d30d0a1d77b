/**
 * The BlobStore contract on s3rver (S3BlobStore), each test under its own key prefix. A page size of 4 keys makes
 * the contract's listing cross several ListObjectsV2 pages.
 */
import test from 'ava'
import {NetworkError} from '#src/errors/index.js'
import {openBlobStore} from '#server/storage/blobs/open-blob-store.js'
import {startS3rver, useS3rver} from '../../../helpers/s3rver.js'
import {tempDir} from '../../../helpers/temp.js'
import {blobStoreContract} from './blob-store-contract.js'

const s3rver = useS3rver(test)
let opened = 0

blobStoreContract(test, 's3', async () => openBlobStore(s3rver().url(`contract-${++opened}`, {pageSize: 4})))

test('s3: once the store stops answering, put, read, delete and list fail with NetworkError', async (t) => {
  const own = await startS3rver(await tempDir(t, 'sync-s3rver-'))
  t.teardown(() => own.stop())
  const store = await openBlobStore(own.url('gone', {maxAttempts: 1}))
  t.teardown(() => store.close())
  await store.put('kept', Buffer.from('bytes'))
  await own.stop()
  await t.throwsAsync(store.put('new', Buffer.from('x')), {instanceOf: NetworkError})
  await t.throwsAsync(store.read('kept', 0, 5), {instanceOf: NetworkError})
  await t.throwsAsync(store.delete('kept'), {instanceOf: NetworkError})
  await t.throwsAsync(
    (async () => {
      for await (const info of store.list('')) t.fail(`listed ${info.key}`)
    })(),
    {instanceOf: NetworkError},
  )
})
