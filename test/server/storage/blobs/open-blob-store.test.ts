/**
 * openBlobStore: which store a URL opens, where its objects land, and the one-line InvalidInputError (or
 * NetworkError) for every URL that cannot work, before anything is written.
 */
import {readdir, readFile} from 'node:fs/promises'
import {createServer, type Socket} from 'node:net'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {ListObjectsV2Command} from '@aws-sdk/client-s3'
import test from 'ava'
import {InvalidInputError, NetworkError} from '#src/errors/index.js'
import {openBlobStore} from '#server/storage/blobs/open-blob-store.js'
import {createS3Client} from '#server/storage/blobs/s3-client.js'
import {S3_DEFAULTS} from '#server/storage/blobs/s3-settings.js'
import {S3RVER_CREDENTIALS, useS3rver} from '../../../helpers/s3rver.js'
import {tempDir} from '../../../helpers/temp.js'

const s3rver = useS3rver(test)
const noEnv = {}

test('a file:// URL opens a folder of files', async (t) => {
  const folder = await tempDir(t, 'sync-blobs-')
  const store = await openBlobStore(`${pathToFileURL(folder).href}/`)
  t.teardown(() => store.close())
  await store.put('packs/p1', Buffer.from('pack bytes'))
  t.is(await readFile(path.join(folder, 'packs', 'p1'), 'utf8'), 'pack bytes')
})

test('an s3:// URL keeps its objects under the prefix, and stores with other prefixes do not see them', async (t) => {
  const one = await openBlobStore(s3rver().url('tenants/one'))
  const two = await openBlobStore(s3rver().url('tenants/two'))
  t.teardown(() => Promise.all([one.close(), two.close()]))
  await one.put('packs/p1', Buffer.from('one'))
  await two.put('packs/p1', Buffer.from('two!'))
  t.is((await one.read('packs/p1', 0, 3)).toString(), 'one')
  t.is((await two.read('packs/p1', 0, 4)).toString(), 'two!')
  const client = createS3Client({
    ...S3_DEFAULTS,
    bucket: s3rver().bucket,
    prefix: '',
    endpoint: s3rver().endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
  })
  t.teardown(() => client.destroy())
  const raw = await client.send(new ListObjectsV2Command({Bucket: s3rver().bucket, Prefix: 'tenants/'}))
  t.deepEqual(
    raw.Contents?.map((object) => object.Key),
    ['tenants/one/packs/p1', 'tenants/two/packs/p1'],
  )
})

test('credentials come from the environment when the URL has none', async (t) => {
  const {endpoint, bucket} = s3rver()
  const env = {AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey}
  const store = await openBlobStore(`s3://${bucket}/from-env?endpoint=${endpoint}`, env)
  t.teardown(() => store.close())
  await store.put('k', Buffer.from('v'))
  t.is((await store.read('k', 0, 1)).toString(), 'v')
})

const refused: Array<[string, string, RegExp]> = [
  ['not a URL', 'blobs', /expected file:\/\/\/abs\/path or s3:\/\//],
  ['an unknown scheme', 'gs://bucket', /scheme 'gs:' is neither file: nor s3:/],
  ['a file URL with a host', 'file://host/data', /no host, query or fragment/],
  ['a file URL with a query', 'file:///data?x=1', /no host, query or fragment/],
  ['a bucket name S3 refuses', 's3://Bad_Bucket', /not an S3 bucket name/],
  ['a prefix segment outside [A-Za-z0-9._-]', 's3://bucket/a%20b', /prefix segment 'a%20b'/],
  ['an unknown parameter', 's3://bucket?endpont=http://x', /unknown parameter 'endpont'/],
  ['an endpoint that is no http(s) origin', 's3://bucket?endpoint=ftp://x', /endpoint 'ftp:\/\/x'/],
  ['forcePathStyle neither true nor false', 's3://bucket?forcePathStyle=yes', /forcePathStyle must be true or false/],
  ['a timeout that is no whole number', 's3://bucket?timeoutMs=1.5', /timeoutMs must be a whole number/],
  ['a page size over 1000', 's3://bucket?pageSize=5000', /pageSize must be a whole number from 1 to 1000/],
  ['a key without its secret', 's3://KEY@bucket', /need both KEY and SECRET/],
  ['no credentials at all', 's3://bucket', /no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/],
]
for (const [what, url, message] of refused) {
  test(`refused before any request: ${what}`, async (t) => {
    await t.throwsAsync(openBlobStore(url, noEnv), {instanceOf: InvalidInputError, message})
  })
}

test('an error message never shows the secret from the URL', async (t) => {
  const error = await t.throwsAsync(openBlobStore('s3://KEY:TOPSECRET@bucket?pageSize=0', noEnv), {instanceOf: InvalidInputError})
  t.false(error!.message.includes('TOPSECRET'))
  t.regex(error!.message, /KEY:\*\*\*@bucket/)
})

test('a bucket that does not exist, or refused credentials, fail at open with the bucket named', async (t) => {
  const {endpoint} = s3rver()
  await t.throwsAsync(openBlobStore(`s3://S3RVER:S3RVER@no-such-bucket?endpoint=${endpoint}`), {
    instanceOf: InvalidInputError,
    message: `bucket 'no-such-bucket' at ${endpoint} does not exist`,
  })
  await t.throwsAsync(openBlobStore(`s3://WRONG:WRONG@${s3rver().bucket}?endpoint=${endpoint}`), {
    instanceOf: InvalidInputError,
    message: /refused the credentials \(HTTP 403\)/,
  })
})

test('an endpoint that accepts connections and never answers fails with NetworkError within the timeout', async (t) => {
  const sockets: Socket[] = []
  const silent = createServer((socket) => void sockets.push(socket))
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const socket of sockets) socket.destroy()
    return new Promise<void>((resolve) => silent.close(() => resolve()))
  })
  const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
  const started = Date.now()
  await t.throwsAsync(openBlobStore(`s3://K:S@bucket?endpoint=${endpoint}&timeoutMs=300&maxAttempts=2`), {instanceOf: NetworkError})
  const elapsed = Date.now() - started
  t.true(elapsed >= 600 && elapsed < 10_000, `gave up after ${elapsed} ms`)
  t.is(sockets.length, 2, 'one connection per attempt')
})

test('an endpoint that refuses connections fails with NetworkError', async (t) => {
  const closed = createServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const port = (closed.address() as AddressInfo).port
  await new Promise<void>((resolve) => closed.close(() => resolve()))
  await t.throwsAsync(openBlobStore(`s3://K:S@bucket?endpoint=http://127.0.0.1:${port}&maxAttempts=1`), {instanceOf: NetworkError, message: /ECONNREFUSED/})
})

test('a URL refused at open writes nothing', async (t) => {
  const folder = await tempDir(t, 'sync-blobs-')
  await t.throwsAsync(openBlobStore(`${pathToFileURL(folder).href}?x=1`), {instanceOf: InvalidInputError})
  t.deepEqual(await readdir(folder), [])
})
