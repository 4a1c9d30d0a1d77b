/** SDK errors as the library's typed errors: a request that never got an answer is a NetworkError. */
import {NetworkError} from '#src/errors/index.js'

export function statusOf(error: unknown): number | undefined {
  return (error as {$metadata?: {httpStatusCode?: number}})?.$metadata?.httpStatusCode
}

/** `what` names the operation for the message; errors with an HTTP answer pass unchanged (the server's 500). */
export function fromS3Error(error: unknown, what: string): unknown {
  // No HTTP status: refused, reset or timed out, after the SDK's retries.
  if (statusOf(error) === undefined && error instanceof Error) return new NetworkError(`S3 ${what}: ${error.message}`, {cause: error})
  return error
}
