/**
 * The guard against the SDK's default checksums, which corrupt streamed uploads on s3rver (the aws-chunked framing is
 * stored as the object's bytes): the one client factory sets them to WHEN_REQUIRED, and a streamed multi-MB upload
 * through a client it built reads back byte-exact. The last test shows the failure that the guard prevents.
 */
import {createHash} from 'node:crypto'
import {Readable} from 'node:stream'
import {GetObjectCommand, PutObjectCommand, S3Client} from '@aws-sdk/client-s3'
import test from 'ava'
import {createS3Client, s3ClientConfig} from '#server/storage/blobs/s3-client.js'
import {S3_DEFAULTS, type S3Settings} from '#server/storage/blobs/s3-settings.js'
import {randomBytes} from '../../../helpers/random.js'
import {S3RVER_CREDENTIALS, useS3rver} from '../../../helpers/s3rver.js'

const s3rver = useS3rver(test)
const settings = (): S3Settings => ({
  bucket: s3rver().bucket,
  prefix: '',
  endpoint: s3rver().endpoint,
  forcePathStyle: true,
  credentials: S3RVER_CREDENTIALS,
  ...S3_DEFAULTS,
})
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** PUTs `bytes` as a stream (the body whose length the SDK cannot see in advance) and GETs the object back. */
async function streamedRoundTrip(client: S3Client, key: string, bytes: Buffer): Promise<Buffer> {
  const Bucket = s3rver().bucket
  const Body = Readable.from([bytes.subarray(0, bytes.length >> 1), bytes.subarray(bytes.length >> 1)])
  await client.send(new PutObjectCommand({Bucket, Key: key, Body, ContentLength: bytes.length}))
  const answer = await client.send(new GetObjectCommand({Bucket, Key: key}))
  return Buffer.from(await answer.Body!.transformToByteArray())
}

test('the client factory turns the default checksums off, bounds retries and times out every request', (t) => {
  const config = s3ClientConfig({...settings(), timeoutMs: 1234, maxAttempts: 2})
  t.is(config.requestChecksumCalculation, 'WHEN_REQUIRED')
  t.is(config.responseChecksumValidation, 'WHEN_REQUIRED')
  t.is(config.maxAttempts, 2)
  t.true(config.forcePathStyle)
  t.like(config.requestHandler, {connectionTimeout: 1234, requestTimeout: 1234, throwOnRequestTimeout: true})
})

test('a streamed 8 MB upload through the factory-built client reads back byte-exact', async (t) => {
  const client = createS3Client(settings())
  t.teardown(() => client.destroy())
  const bytes = randomBytes(8 * 1024 * 1024, 16)
  const back = await streamedRoundTrip(client, 'streamed/guarded', bytes)
  t.is(back.length, bytes.length)
  t.is(sha(back), sha(bytes))
})

test('with the SDK default checksums, s3rver stores a streamed upload with its framing (what the guard prevents)', async (t) => {
  const {requestChecksumCalculation, responseChecksumValidation, ...defaults} = s3ClientConfig(settings())
  t.truthy(requestChecksumCalculation && responseChecksumValidation)
  const client = new S3Client(defaults)
  t.teardown(() => client.destroy())
  const bytes = randomBytes(300_000, 17)
  const back = await streamedRoundTrip(client, 'streamed/default', bytes)
  t.not(sha(back), sha(bytes))
  t.true(back.length > bytes.length, `stored ${back.length} bytes for ${bytes.length}`)
})
