/** A PATH argument as the journal names it: relative to the folder's root, `/`-separated, whatever the cwd. */
import path from 'node:path'
import {InvalidInputError} from '#src/errors/index.js'
import {validatePath} from '#src/paths/validate-path.js'

export function folderPath(root: string, given: string, cwd = process.cwd()): string {
  const relative = path.relative(root, path.resolve(cwd, given)).split(path.sep).join('/')
  const reason = validatePath(relative)
  if (reason || relative.startsWith('../')) throw new InvalidInputError(`${given} is not a file path inside ${root}${reason ? `: ${reason}` : ''}`)
  return relative
}

/** A FOLDER argument as a prefix of journal paths: '' for the synced folder itself. */
export function folderPrefix(root: string, given: string, cwd = process.cwd()): string {
  const relative = path.relative(root, path.resolve(cwd, given)).split(path.sep).join('/')
  if (relative === '') return ''
  const reason = validatePath(relative)
  if (reason || relative.startsWith('../')) throw new InvalidInputError(`${given} is not a folder inside ${root}${reason ? `: ${reason}` : ''}`)
  return relative
}
