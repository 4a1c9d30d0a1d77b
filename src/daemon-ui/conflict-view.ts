/**
 * A conflict copy beside its file, as the web page shows it: both versions read from disk (never through a
 * link, never above the folder) and, for text, a side-by-side diff by lines (node-diff3, as the merge uses).
 * The file at the path holds the other device's version ("theirs"), the copy the version of the device that
 * found the conflict ("mine" there): src/sync/resolve-conflict.ts.
 */
import {lstat, readFile} from 'node:fs/promises'
import path from 'node:path'
import {diffComm} from 'node-diff3'
import {detectKind, type KindRules} from '../chunk/file-kind.js'
import {InvalidInputError} from '../errors/index.js'
import {checkParents} from '../files/inside-folder.js'
import {conflictCopyOrigin} from '../merge/conflict-name.js'
import {checkPath} from '../paths/validate-path.js'

/** Larger versions are not diffed on the page (their sizes are shown). */
export const DIFF_MAX_BYTES = 512 * 1024

export interface ConflictSide {
  path: string
  /** Absent: no file there now. */
  size?: number
  kind?: 'text' | 'binary' | 'symlink' | 'too-large'
}

/** One row of the side-by-side diff: a line of each side (absent where that side has fewer lines in a change). */
export interface DiffRow {
  same: boolean
  theirs?: string
  mine?: string
}

export interface ConflictView {
  copy: string
  /** The device whose version the copy holds, and when it was made (from the copy's name). */
  device: string
  time: number
  theirs: ConflictSide
  mine: ConflictSide
  /** Present when both are text files small enough to diff. */
  rows?: DiffRow[]
}

async function readSide(root: string, relative: string, rules?: KindRules): Promise<{side: ConflictSide; lines?: string[]}> {
  checkParents(root, relative)
  const side: ConflictSide = {path: relative}
  const stat = await lstat(path.join(root, relative)).catch(() => undefined)
  if (!stat || stat.isDirectory()) return {side}
  side.size = stat.size
  if (stat.isSymbolicLink()) return {side: {...side, kind: 'symlink'}}
  if (stat.size > DIFF_MAX_BYTES) return {side: {...side, kind: 'too-large'}}
  const bytes = await readFile(path.join(root, relative))
  side.kind = detectKind(relative, bytes.subarray(0, 8192), rules)
  if (side.kind !== 'text') return {side}
  const lines = bytes.toString('utf8').split('\n')
  if (lines.at(-1) === '') lines.pop()
  return {side, lines}
}

export async function conflictView(root: string, copy: string, rules?: KindRules): Promise<ConflictView> {
  const origin = conflictCopyOrigin(checkPath(copy))
  if (!origin) throw new InvalidInputError(`${copy} is not a conflict copy`)
  const [theirs, mine] = await Promise.all([readSide(root, origin.path, rules), readSide(root, copy, rules)])
  const view: ConflictView = {copy, device: origin.device, time: origin.time, theirs: theirs.side, mine: mine.side}
  if (theirs.lines && mine.lines) {
    view.rows = []
    for (const part of diffComm(theirs.lines, mine.lines)) {
      if (part.common) for (const line of part.common) view.rows.push({same: true, theirs: line, mine: line})
      else
        for (let i = 0; i < Math.max(part.buffer1.length, part.buffer2.length); i++)
          view.rows.push({same: false, theirs: part.buffer1[i], mine: part.buffer2[i]})
    }
  }
  return view
}
