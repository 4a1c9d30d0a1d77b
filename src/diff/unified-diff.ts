/**
 * The unified diff of two versions of a file, as `git diff` prints it: a `diff --git` line, `---`/`+++` lines
 * (the label after a tab, which patch(1) ignores: `patch -p1` applies the output), hunks, and `\ No newline at end
 * of file` after a last line without one. Bytes in, bytes out: lines are printed exactly as they are.
 */
import type {Hunk} from './line-hunks.js'

export interface DiffSide {
  /** What this side is: `jid 12`, `working file`. */
  label: string
  /** Absent (a deleted or not yet created file): printed as /dev/null. */
  absent?: boolean
  size: number
}

const NO_NEWLINE = '\n\\ No newline at end of file\n'

export function unifiedDiff(path: string, from: DiffSide, to: DiffSide, hunks: readonly Hunk[]): Buffer {
  const name = (prefix: string, side: DiffSide) => (side.absent ? '/dev/null' : `${prefix}/${path}`)
  const header = `diff --git a/${path} b/${path}\n--- ${name('a', from)}\t${from.label}\n+++ ${name('b', to)}\t${to.label}\n`
  const parts = [Buffer.from(header)]
  for (const hunk of hunks) {
    let text = `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@\n`
    for (const line of hunk.lines) text += line.type + (line.bytes.endsWith('\n') ? line.bytes : line.bytes + NO_NEWLINE)
    parts.push(Buffer.from(text, 'latin1'))
  }
  return Buffer.concat(parts)
}

/** What git says of binary files, with the sizes. */
export function binaryDiff(path: string, from: DiffSide, to: DiffSide): Buffer {
  const side = (prefix: string, s: DiffSide) => `${s.absent ? '/dev/null' : `${prefix}/${path}`} (${s.label}, ${s.size} bytes)`
  return Buffer.from(`diff --git a/${path} b/${path}\nBinary files ${side('a', from)} and ${side('b', to)} differ\n`)
}
