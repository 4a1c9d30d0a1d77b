/** SDK errors as the library's typed errors: an absent object is NotFoundError, an unreachable store a NetworkError. */
import {NetworkError, NotFoundError, type SyncError, isSyncError} from '#src/errors/index.js'

interface SdkError {
  name?: string
  message?: string
  $metadata?: {httpStatusCode?: number}
}

export function statusOf(error: unknown): number | undefined {
  return (error as SdkError)?.$metadata?.httpStatusCode
}

/** `what` names the operation and key for the message; errors that are neither absence nor network pass unchanged. */
export function fromS3Error(error: unknown, what: string, key?: string): SyncError | unknown {
  if (isSyncError(error)) return error
  const status = statusOf(error)
  // A missing bucket is a broken deployment, not an absent blob: it passes unchanged (and open checks for it).
  if ((status === 404 && (error as SdkError).name !== 'NoSuchBucket') || (error as SdkError)?.name === 'NoSuchKey')
    return new NotFoundError(`blob ${key} is not in the store`, {key})
  // No HTTP status: the request never got an answer (refused, reset, timed out after the SDK's retries).
  if (status === undefined && error instanceof Error) return new NetworkError(`S3 ${what}: ${error.message}`, {cause: error})
  return error
}
