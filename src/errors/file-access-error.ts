import {SyncError} from './sync-error.js'

export type FileAccessReason =
  'not-found' | 'is-directory' | 'not-a-file' | 'not-a-folder' | 'permission' | 'changed' | 'no-parent' | 'rules-link' | 'rules-too-large'

const explain: Record<FileAccessReason, string> = {
  'not-found': 'no such file',
  'is-directory': 'is a directory, not a file',
  'not-a-file': 'is not a regular file',
  'not-a-folder': 'is not a folder',
  permission: 'permission denied',
  changed: 'changed while it was being read; try again',
  'no-parent': 'its folder does not exist',
  'rules-link': 'is a link, and sync reads ignore rules only from a regular file (never through a link): replace the link with a copy of the file it points to',
  'rules-too-large': 'is over 1 MiB, far more than ignore rules need: sync reads no rules from it; make it smaller',
}

/** A file given by the user that cannot be read or written as asked. */
export class FileAccessError extends SyncError {
  static readonly code = 'E_FILE_ACCESS'
  readonly code = FileAccessError.code
  constructor(
    readonly path: string,
    readonly reason: FileAccessReason,
    options?: {cause?: unknown},
  ) {
    super(`${path}: ${explain[reason]}`, {path, reason}, options)
  }

  /** Translate a node fs error for `path` into a FileAccessError, or return undefined when it is not one we name. */
  static from(path: string, error: unknown): FileAccessError | undefined {
    const code = (error as NodeJS.ErrnoException | undefined)?.code
    if (code === 'ENOENT') return new FileAccessError(path, 'not-found', {cause: error})
    if (code === 'EISDIR') return new FileAccessError(path, 'is-directory', {cause: error})
    if (code === 'EACCES' || code === 'EPERM') return new FileAccessError(path, 'permission', {cause: error})
    if (code === 'ENOTDIR') return new FileAccessError(path, 'not-found', {cause: error})
    return undefined
  }
}
