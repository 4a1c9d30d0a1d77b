/**
 * Blobs as objects in an S3-compatible store, under the URL's prefix. A put is durable once S3 acknowledges it
 * (S3's own guarantee; s3rver, for tests, writes without fsync). Reads are ranged GETs; list pages through
 * ListObjectsV2. Every request is bounded by the settings' timeout and retried by the SDK up to maxAttempts.
 */
import {createHash} from 'node:crypto'
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3'
import {InvalidInputError, NotFoundError} from '#src/errors/index.js'
import {BLOB_KEY, type BlobInfo, type BlobStore} from './blob-store.js'
import {createS3Client} from './s3-client.js'
import {fromS3Error, statusOf} from './s3-error.js'
import type {S3Settings} from './s3-settings.js'

export class S3BlobStore implements BlobStore {
  private readonly client: S3Client
  private readonly keyPrefix: string

  /** A store whose bucket answered: a wrong bucket, endpoint or credentials fail here, not at the first upload. */
  static async open(settings: S3Settings): Promise<S3BlobStore> {
    const store = new S3BlobStore(settings)
    try {
      await store.client.send(new HeadBucketCommand({Bucket: settings.bucket}))
      return store
    } catch (error) {
      await store.close()
      const where = `bucket '${settings.bucket}' at ${settings.endpoint ?? 'AWS'}`
      const status = statusOf(error)
      if (status === 404) throw new InvalidInputError(`${where} does not exist`, {bucket: settings.bucket})
      if (status === 403 || status === 401) throw new InvalidInputError(`${where} refused the credentials (HTTP ${status})`, {bucket: settings.bucket})
      throw fromS3Error(error, `open ${where}`)
    }
  }

  private constructor(private readonly settings: S3Settings) {
    this.client = createS3Client(settings)
    this.keyPrefix = settings.prefix === '' ? '' : `${settings.prefix}/`
  }

  private objectKey(key: string): string {
    if (!BLOB_KEY.test(key)) throw new InvalidInputError(`not a blob key: ${JSON.stringify(key.slice(0, 200))}`)
    return this.keyPrefix + key
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const Key = this.objectKey(key)
    // Content-MD5 has S3 refuse a body that changed on the way, now that the SDK's own checksums are off.
    const ContentMD5 = createHash('md5').update(bytes).digest('base64')
    await this.client
      .send(new PutObjectCommand({Bucket: this.settings.bucket, Key, Body: bytes, ContentLength: bytes.length, ContentMD5}))
      .catch((error) => Promise.reject(fromS3Error(error, `put ${key}`)))
  }

  async read(key: string, offset: number, length: number): Promise<Buffer> {
    const Key = this.objectKey(key)
    const request = {Bucket: this.settings.bucket, Key}
    const endsBefore = () => new NotFoundError(`blob ${key} ends before byte ${offset + length}`, {key})
    let answer: GetObjectCommandOutput
    let bytes: Buffer
    try {
      // An empty range is no HTTP range; the object must still exist.
      if (length === 0) return await this.client.send(new HeadObjectCommand(request)).then(() => Buffer.alloc(0))
      answer = await this.client.send(new GetObjectCommand({...request, Range: `bytes=${offset}-${offset + length - 1}`}))
      bytes = Buffer.from(await answer.Body!.transformToByteArray())
    } catch (error) {
      // A missing bucket is a broken deployment, not an absent blob (open checks for it): it passes unchanged.
      if (statusOf(error) === 404 && (error as Error).name !== 'NoSuchBucket') throw new NotFoundError(`blob ${key} is not in the store`, {key})
      if (statusOf(error) === 416) throw endsBefore()
      throw fromS3Error(error, `read ${key}`)
    }
    // The answer may hold more than the range asked for (s3rver reads `bytes=0-0` as the whole object): it starts
    // where its Content-Range says, or at 0 without one.
    const start = Number(/^bytes (\d+)-/.exec(answer.ContentRange ?? '')?.[1] ?? 0)
    if (start > offset || start + bytes.length < offset + length) throw endsBefore()
    return bytes.subarray(offset - start, offset - start + length)
  }

  async delete(key: string): Promise<void> {
    const Key = this.objectKey(key)
    await this.client.send(new DeleteObjectCommand({Bucket: this.settings.bucket, Key})).catch((error) => Promise.reject(fromS3Error(error, `delete ${key}`)))
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    let ContinuationToken: string | undefined
    do {
      const page = await this.client
        .send(new ListObjectsV2Command({Bucket: this.settings.bucket, Prefix: this.keyPrefix + prefix, MaxKeys: this.settings.pageSize, ContinuationToken}))
        .catch((error) => Promise.reject(fromS3Error(error, `list ${prefix}`)))
      for (const object of page.Contents ?? []) {
        const key = object.Key!.slice(this.keyPrefix.length)
        // Objects that no put of ours could have made (written there by hand) are not blobs, as on disk.
        if (BLOB_KEY.test(key)) yield {key, size: object.Size ?? 0}
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (ContinuationToken)
  }

  async close(): Promise<void> {
    this.client.destroy()
  }
}
