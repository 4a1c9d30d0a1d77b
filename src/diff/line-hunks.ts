/**
 * A line diff of two byte buffers as unified-diff hunks. jsdiff (`diff`, Myers' O(ND) algorithm) finds the changed
 * runs; this groups them with their context lines. Lines keep their bytes (latin1 strings, one char a byte), so
 * any encoding and CRLF compare and print exactly. (node-diff3, which the merge uses, took 15 s on a 100,000-line
 * file with 10 edits: its two-way diff is quadratic in common lines; jsdiff takes 5 ms.)
 */
import {diffArrays} from 'diff'

/**
 * Past this many changed lines the search stops and the sides show as replaced whole: still a correct diff, found
 * in bounded time (the search costs lines × changed lines).
 */
const MAX_CHANGED_LINES = 4000

/** A run of changed lines: `old` lines from `oldAt` replaced by `added` lines from `newAt`. */
interface Change {
  oldAt: number
  old: number
  newAt: number
  added: number
}

export interface HunkLine {
  type: ' ' | '-' | '+'
  /** The line's bytes as latin1, newline included (the last line may have none). */
  bytes: string
}

export interface Hunk {
  /** 1-based first line of each side, and how many lines the hunk covers there (as `@@ -a,b +c,d @@`). */
  oldStart: number
  oldLines: number
  newStart: number
  newLines: number
  lines: HunkLine[]
}

/** Splits bytes into lines, each with its `\n`; a last line without one stays as it is. */
export function splitLines(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? []
}

export function lineHunks(before: Uint8Array, after: Uint8Array, context = 3): Hunk[] {
  const a = splitLines(before)
  const b = splitLines(after)
  const changes = changedRuns(a, b)
  const hunks: Hunk[] = []
  let group: Change[] = []
  const close = () => {
    if (group.length > 0) hunks.push(hunkOf(group, a, b, context))
    group = []
  }
  for (const change of changes) {
    const last = group.at(-1)
    // Changes whose context would touch or overlap go in one hunk.
    if (last && change.oldAt - (last.oldAt + last.old) > 2 * context) close()
    group.push(change)
  }
  close()
  return hunks
}

/** The changed runs, in order: jsdiff's removed and added values, located on both sides. */
function changedRuns(a: string[], b: string[]): Change[] {
  const parts = diffArrays(a, b, {maxEditLength: MAX_CHANGED_LINES})
  if (!parts) return [{oldAt: 0, old: a.length, newAt: 0, added: b.length}]
  const changes: Change[] = []
  let oldAt = 0
  let newAt = 0
  for (const part of parts) {
    const count = part.value.length
    if (!part.added && !part.removed) {
      oldAt += count
      newAt += count
      continue
    }
    // A removal followed by an addition is one change.
    const last = changes.at(-1)
    const change = last && last.oldAt + last.old === oldAt && last.newAt + last.added === newAt ? last : {oldAt, old: 0, newAt, added: 0}
    if (change !== last) changes.push(change)
    if (part.removed) {
      change.old += count
      oldAt += count
    } else {
      change.added += count
      newAt += count
    }
  }
  return changes
}

function hunkOf(group: Change[], a: string[], b: string[], context: number): Hunk {
  const first = group[0]
  const last = group.at(-1)!
  const start = Math.max(0, first.oldAt - context)
  const end = Math.min(a.length, last.oldAt + last.old + context)
  // Before the first change both sides are equal, so they are shifted by the same number of lines.
  const newStart = start + first.newAt - first.oldAt
  const lines: HunkLine[] = []
  let at = start
  for (const change of group) {
    for (; at < change.oldAt; at++) lines.push({type: ' ', bytes: a[at]})
    for (let i = change.oldAt; i < change.oldAt + change.old; i++) lines.push({type: '-', bytes: a[i]})
    for (let i = change.newAt; i < change.newAt + change.added; i++) lines.push({type: '+', bytes: b[i]})
    at = change.oldAt + change.old
  }
  for (; at < end; at++) lines.push({type: ' ', bytes: a[at]})
  const oldLines = end - start
  const newLines = lines.filter((line) => line.type !== '-').length
  // As diff(1): an empty side starts at line 0.
  return {oldStart: oldLines === 0 ? start : start + 1, oldLines, newStart: newLines === 0 ? newStart : newStart + 1, newLines, lines}
}
