/** s3rver for a test file: started once in a temp folder (bench/lib/s3rver.ts), stopped and removed after its tests. */
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type {TestFn} from 'ava'
import {startS3rver, type S3rverProcess} from '../../bench/lib/s3rver.js'

export {S3RVER_CREDENTIALS, startS3rver} from '../../bench/lib/s3rver.js'

/** Registers the before/after hooks on `test` and returns a getter for the running server. */
export function useS3rver(test: TestFn): () => S3rverProcess {
  let server: S3rverProcess | undefined
  let directory = ''
  test.before(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'sync-s3rver-'))
    server = await startS3rver(directory)
  })
  test.after.always(async () => {
    await server?.stop()
    if (directory) await rm(directory, {recursive: true, force: true})
  })
  return () => {
    if (!server) throw new Error('s3rver is not running (useS3rver registers test.before)')
    return server
  }
}
