/** `sync diff --json`'s hunks: each line's text decoded as UTF-8 without its newline, and `newline: false` on a last line that has none. */
import type {Hunk} from '#src/diff/line-hunks.js'

export interface HunkJson extends Omit<Hunk, 'lines'> {
  lines: {type: ' ' | '-' | '+'; text: string; newline?: false}[]
}

export function hunksJson(hunks: readonly Hunk[]): HunkJson[] {
  return hunks.map(({lines, ...numbers}) => ({
    ...numbers,
    lines: lines.map(({type, bytes}) => {
      const newline = bytes.endsWith('\n')
      const text = Buffer.from(newline ? bytes.slice(0, -1) : bytes, 'latin1').toString('utf8')
      return newline ? {type, text} : {type, text, newline: false as const}
    }),
  }))
}
