/**
 * What a save may rename its temp file over: nothing, a regular file, or a link (replaced, never written
 * through). A folder is named as one; a device, a pipe or a socket is never replaced (`sync save /dev/null` run
 * as root replaced the device with a file).
 */
import type {Stats} from 'node:fs'
import {FileAccessError} from '../errors/index.js'

export function checkReplaceable(filePath: string, existing: Stats | undefined): void {
  if (existing?.isDirectory()) throw new FileAccessError(filePath, 'is-directory')
  if (existing && !existing.isFile() && !existing.isSymbolicLink()) throw new FileAccessError(filePath, 'not-a-file')
}
