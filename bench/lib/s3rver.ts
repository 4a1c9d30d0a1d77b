/**
 * s3rver (the S3 API over a folder, from npm) as a child process on an ephemeral loopback port, with one bucket:
 * the object store of tests and benchmarks. A child rather than in-process: its own event loop, as a real store has.
 * Its listing continuation tokens use DES, which Node 20's OpenSSL 3 keeps in the legacy provider: without
 * `--openssl-legacy-provider` every truncated ListObjectsV2 page is an InternalError.
 */
import {createRequire} from 'node:module'
import {start, stop, waitFor} from './processes.js'

/** s3rver takes these and no others (its accounts are fixed). */
export const S3RVER_CREDENTIALS = {accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER'}

export interface S3rverProcess {
  endpoint: string
  bucket: string
  /** An `s3://` blob store URL for this server's bucket, with its credentials, under `prefix`. */
  url(prefix?: string, params?: Record<string, string | number>): string
  stop(): Promise<void>
}

export async function startS3rver(directory: string, bucket = 'sync-blobs'): Promise<S3rverProcess> {
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js')
  const args = ['--openssl-legacy-provider', bin, '--directory', directory, '--address', '127.0.0.1', '--port', '0', '--silent', '--configure-bucket', bucket]
  const child = start(process.execPath, args)
  let output = ''
  child.stdout!.on('data', (data: Buffer) => (output += data))
  child.stderr!.on('data', (data: Buffer) => (output += data))
  try {
    await waitFor(
      's3rver to listen',
      () => {
        if (child.exitCode !== null) throw new Error(`s3rver exited with ${child.exitCode}: ${output}`)
        return /listening on [^\s:]+:\d+/.test(output)
      },
      20_000,
    )
  } catch (error) {
    await stop(child)
    throw error
  }
  const endpoint = `http://127.0.0.1:${/listening on [^\s:]+:(\d+)/.exec(output)![1]}`
  const {accessKeyId, secretAccessKey} = S3RVER_CREDENTIALS
  return {
    endpoint,
    bucket,
    url: (prefix = '', params = {}) => {
      const query = new URLSearchParams({endpoint, ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))})
      return `s3://${accessKeyId}:${secretAccessKey}@${bucket}${prefix ? `/${prefix}` : ''}?${query}`
    },
    stop: () => stop(child),
  }
}
