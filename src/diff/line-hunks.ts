/**
 * A line diff of two byte buffers as unified-diff hunks. node-diff3 (which the merge uses too) finds the changed
 * runs; this groups them with their context lines. Lines keep their bytes (latin1 strings, one char a byte), so
 * any encoding and CRLF compare and print exactly.
 */
import {diffIndices} from 'node-diff3'

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
  const changes = diffIndices(a, b)
  const hunks: Hunk[] = []
  let group: typeof changes = []
  const close = () => {
    if (group.length > 0) hunks.push(hunkOf(group, a, b, context))
    group = []
  }
  for (const change of changes) {
    const last = group.at(-1)
    // Changes whose context would touch or overlap go in one hunk.
    if (last && change.buffer1[0] - (last.buffer1[0] + last.buffer1[1]) > 2 * context) close()
    group.push(change)
  }
  close()
  return hunks
}

function hunkOf(group: ReturnType<typeof diffIndices<string>>, a: string[], b: string[], context: number): Hunk {
  const first = group[0]
  const last = group.at(-1)!
  const start = Math.max(0, first.buffer1[0] - context)
  const end = Math.min(a.length, last.buffer1[0] + last.buffer1[1] + context)
  // Before the first change both sides are equal, so they are shifted by the same number of lines.
  const newStart = start + first.buffer2[0] - first.buffer1[0]
  const lines: HunkLine[] = []
  let at = start
  for (const change of group) {
    const [from, length] = change.buffer1
    const [into, added] = change.buffer2
    for (; at < from; at++) lines.push({type: ' ', bytes: a[at]})
    for (let i = from; i < from + length; i++) lines.push({type: '-', bytes: a[i]})
    for (let i = into; i < into + added; i++) lines.push({type: '+', bytes: b[i]})
    at = from + length
  }
  for (; at < end; at++) lines.push({type: ' ', bytes: a[at]})
  const oldLines = end - start
  const newLines = lines.filter((line) => line.type !== '-').length
  // As diff(1): an empty side starts at line 0.
  return {oldStart: oldLines === 0 ? start : start + 1, oldLines, newStart: newLines === 0 ? newStart : newStart + 1, newLines, lines}
}
