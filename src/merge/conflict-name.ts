/**
 * Names a conflict copy so a person sees what it is: `NAME (conflict DEVICE YYYY-MM-DD HHMMSS).EXT`, next to
 * the file, in UTC; ` 2`, ` 3`... before the closing parenthesis when that name is taken.
 */
import path from 'node:path'

export const CONFLICT_NAME = / \(conflict [^)]+ \d{4}-\d{2}-\d{2} \d{6}(?: \d+)?\)/

function stamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0')
  return `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())} ${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}`
}

export function conflictCopyPath(filePath: string, device: string, date: Date, taken: (candidate: string) => boolean): string {
  const dir = path.posix.dirname(filePath)
  const ext = path.posix.extname(filePath)
  const name = path.posix.basename(filePath, ext)
  const safeDevice = device.replace(/[/\\()\u0000-\u001f]/g, '-')
  for (let n = 1; ; n++) {
    const label = `conflict ${safeDevice} ${stamp(date)}${n > 1 ? ` ${n}` : ''}`
    const base = fitName(name, ext, label)
    const candidate = dir === '.' ? base : `${dir}/${base}`
    if (!taken(candidate)) return candidate
  }
}

/** Names are at most 255 bytes on every disk (and in the protocol): a long name is shortened to fit the label. */
const MAX_NAME_BYTES = 255

function fitName(name: string, ext: string, label: string): string {
  const build = (stem: string) => (stem === '' ? `${ext} (${label})` : `${stem} (${label})${ext}`)
  let stem = name
  // Whole characters (code points) at a time, so the name stays valid UTF-8.
  while (Buffer.byteLength(build(stem)) > MAX_NAME_BYTES && stem !== '') stem = [...stem].slice(0, -1).join('')
  return build(stem)
}

export function isConflictCopy(filePath: string): boolean {
  return CONFLICT_NAME.test(path.posix.basename(filePath))
}
