/** What an S3 blob store needs to know, as parsed from its URL (s3-url.ts) and built into a client (s3-client.ts). */
export interface S3Credentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

export interface S3Settings {
  bucket: string
  /** Prepended to every key with a `/`; '' for none. */
  prefix: string
  /** An S3-compatible service (MinIO, s3rver, ...); absent for AWS itself. */
  endpoint?: string
  region: string
  /** `endpoint/bucket/key` rather than `bucket.endpoint/key`: what MinIO and s3rver expect. */
  forcePathStyle: boolean
  credentials: S3Credentials
  /** Bound on each request (connect, send, answer); a request past it fails and counts as one attempt. */
  timeoutMs: number
  /** Attempts per operation, the first included (the SDK's retries, with its backoff). */
  maxAttempts: number
  /** Keys per ListObjectsV2 page (S3 caps it at 1000). */
  pageSize: number
}

export const S3_DEFAULTS = {region: 'us-east-1', timeoutMs: 30_000, maxAttempts: 3, pageSize: 1000} as const
