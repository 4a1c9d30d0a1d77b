/**
 * Names a conflict copy so a person sees what it is: `NAME (conflict DEVICE YYYY-MM-DD HHMMSS).EXT`, next to
 * the file, in UTC; ` 2`, ` 3`... before the closing parenthesis when that name is taken.
 */
import path from 'node:path'

export const CONFLICT_NAME = / \(conflict [^)]+ \d{4}-\d{2}-\d{2} \d{6}(?: \d+)?\)/
/** The same label, its parts captured: the device, the date, the time. */
const LABEL = / \(conflict ([^)]+) (\d{4}-\d{2}-\d{2}) (\d{2})(\d{2})(\d{2})(?: \d+)?\)/

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

export interface ConflictCopyOrigin {
  /** The file the copy was made beside (its name without the label; a name shortened to fit is not restored). */
  path: string
  /** The device whose version the copy holds (the one that found the conflict). */
  device: string
  /** When it was made (ms since the epoch). */
  time: number
}

/** What a conflict copy's name says of it, or undefined when `copy` is not named as one. */
export function conflictCopyOrigin(copy: string): ConflictCopyOrigin | undefined {
  const name = path.posix.basename(copy)
  const match = LABEL.exec(name)
  if (!match) return undefined
  const [label, device, date, hh, mm, ss] = match
  const dir = path.posix.dirname(copy)
  const original = name.replace(label, '')
  return {path: dir === '.' ? original : `${dir}/${original}`, device, time: Date.parse(`${date}T${hh}:${mm}:${ss}Z`)}
}

/**
 * The name a conflict copy takes when both versions are kept: its label without the word "conflict"
 * (`Risotto (laptop 2026-11-25 143005).cook`), so it is an ordinary file from then on; ` 2`, ` 3`... when taken.
 */
export function keptCopyPath(copy: string, taken: (candidate: string) => boolean): string {
  const name = path.posix.basename(copy)
  const label = CONFLICT_NAME.exec(name)?.[0]
  if (label === undefined) return copy
  const dir = path.posix.dirname(copy)
  for (let n = 1; ; n++) {
    const kept = name.replace(label, label.replace(' (conflict ', ' (').replace(/\)$/, n > 1 ? ` ${n})` : ')'))
    const candidate = dir === '.' ? kept : `${dir}/${kept}`
    if (!taken(candidate)) return candidate
  }
}
