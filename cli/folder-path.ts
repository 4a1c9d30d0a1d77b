/** A PATH argument as the journal names it: relative to the folder's root, `/`-separated, whatever the cwd. */
import {lstatSync} from 'node:fs'
import path from 'node:path'
import {InvalidInputError} from '#src/errors/index.js'
import {validatePath} from '#src/paths/validate-path.js'

export function folderPath(root: string, given: string, cwd = process.cwd()): string {
  const relative = relativeTo(root, given, cwd)
  const reason = whyNotInside(relative)
  if (reason) throw new InvalidInputError(`${given} is not a file path inside ${root}: ${reason}`)
  return relative
}

/** A FOLDER argument as a prefix of journal paths: '' for the synced folder itself. */
export function folderPrefix(root: string, given: string, cwd = process.cwd()): string {
  const relative = relativeTo(root, given, cwd)
  if (relative === '') return ''
  const reason = whyNotInside(relative)
  if (reason) throw new InvalidInputError(`${given} is not a folder inside ${root}: ${reason}`)
  return relative
}

const relativeTo = (root: string, given: string, cwd: string) => path.relative(root, path.resolve(cwd, given)).split(path.sep).join('/')

/** Outside the folder is said as such (not as the '..' segment that the relative path then starts with). */
const whyNotInside = (relative: string): string | undefined =>
  relative === '..' || relative.startsWith('../') ? 'it is outside the folder' : validatePath(relative)

/** DIR/, '.', or an existing folder: the argument names a folder, not a file. */
export function isFolderArgument(given: string, cwd = process.cwd()): boolean {
  return given.endsWith('/') || given === '.' || lstatSync(path.resolve(cwd, given), {throwIfNoEntry: false})?.isDirectory() === true
}
