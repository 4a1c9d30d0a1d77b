/**
 * The base of every error the library throws on purpose. Callers test `code`, never the message:
 * the CLI maps it to an exit code, the server to an HTTP status.
 */
export abstract class SyncError extends Error {
  abstract readonly code: string
  readonly data: Record<string, unknown>

  constructor(message: string, data: Record<string, unknown> = {}, options?: {cause?: unknown}) {
    super(message, options)
    this.name = new.target.name
    this.data = data
  }

  toJSON(): {code: string; message: string; data: Record<string, unknown>} {
    return {code: this.code, message: this.message, data: this.data}
  }
}

export function isSyncError(error: unknown): error is SyncError {
  return error instanceof SyncError
}
