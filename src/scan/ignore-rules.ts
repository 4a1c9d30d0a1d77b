/**
 * Which paths this device does not track: `.sync/`, our own temp files, editor droppings (vim's `*.swp` and its
 * `4913` probe, `*~` backups, emacs `.#*` locks), the operating systems' folder files (`.DS_Store`,
 * `Thumbs.db`, `desktop.ini`), and whatever the folder's rules say, in gitignore syntax (the `ignore` package,
 * which implements git's rules): `.syncignore` at the root, which syncs like any file so every device shares
 * it, and `.sync/ignore`, this device's own (selective sync: a phone that ignores `photos/`).
 *
 * Ignored means "not tracked here", never "deleted": a path a rule matches sends nothing (not even a deletion
 * when a new rule starts to match it), receives nothing, and what is on disk stays (PathRecord.ignored).
 */
import {closeSync, constants, fstatSync, openSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {FileAccessError} from '../errors/index.js'

export const SYNCIGNORE = '.syncignore'
/** This device's own rules, inside `.sync/` (never synced). */
export const DEVICE_IGNORE = path.join('.sync', 'ignore')
/** Far more than any folder's rules (git's own .gitignore is 3 KB); a bigger rules file is refused. */
export const MAX_RULES_BYTES = 1024 * 1024
export const DEFAULT_IGNORES = ['.sync/', '.*.sync-*.tmp', '*.swp', '*.swx', '*~', '.#*', '4913', '.DS_Store', 'Thumbs.db', 'desktop.ini']

export interface IgnoreRules {
  /** `relative` uses `/`; folders are asked with a trailing `/`. A path below an ignored folder is ignored. */
  ignores(relative: string): boolean
  /** The text of the folder's rules files (empty for the defaults alone): equal texts, equal rules. */
  readonly source: string
}

/**
 * DEFAULT_IGNORES as one regular expression over the whole path, for folders without a `.syncignore` (most of
 * them): the `ignore` package tests every rule on every path, a fifth of a rescan of 10,000 files. A name
 * rule matches any component; `.sync/` only a folder (followed by `/`). Case-insensitive like the package; a
 * property test checks that both agree.
 */
const IGNORED_BY_DEFAULT =
  /(?:^|\/)(?:\.[^/]*\.sync-[^/]*\.tmp|[^/]*\.sw[px]|[^/]*~|\.#[^/]*|4913|\.DS_Store|Thumbs\.db|desktop\.ini)(?:\/|$)|(?:^|\/)\.sync\//i

export function ignoredByDefault(relative: string): boolean {
  return IGNORED_BY_DEFAULT.test(relative)
}

const DEFAULT_RULES: IgnoreRules = {ignores: ignoredByDefault, source: ''}

/**
 * A rules file's text, or '' when there is none. Read synchronously: every pass reads both, and their trips to
 * the thread pool (open, stat, read, close: four in a row) came before the daemon's pass could start, each a
 * thread to wake, which costs most when other work keeps the cores busy. Only a regular file is read: a rules
 * file that is a link to a FIFO or a device would otherwise hold this thread, opened without O_NONBLOCK, or read
 * without end.
 *
 * `.syncignore` is never read through a link (`followLink` false): it syncs, so another writer of the namespace
 * can make it a link to any file of this device, which would then be read as rules, and a link's target differs
 * from device to device, so the shared rules would not be shared. Such a link stops the pass with a clear error
 * rather than reading nothing: without its rules, what the folder ignored until now would be sent.
 * `.sync/ignore` never syncs: a link there is this device's own choice and is followed. A rules file over
 * MAX_RULES_BYTES stops the pass the same way: every pass reads and parses the rules, so a huge `.syncignore`
 * from another writer would cost each device that much memory and time on every edit; so does one that cannot
 * be read (permission denied).
 */
function readRulesFile(file: string, followLink: boolean): string {
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | (followLink ? 0 : constants.O_NOFOLLOW))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ELOOP' && !followLink) throw new FileAccessError(file, 'rules-link', {cause: error})
    // No rules file: none there, a dangling or looping link of this device's own, a socket.
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'ENXIO') return ''
    // A rules file that cannot be read is not "no rules": what it ignores would be sent.
    throw FileAccessError.from(file, error) ?? error
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) return ''
    if (stat.size > MAX_RULES_BYTES) throw new FileAccessError(file, 'rules-too-large')
    return readFileSync(fd, 'utf8')
  } finally {
    closeSync(fd)
  }
}

/**
 * The folder's rules; `previous` is returned as it is when the files say the same (no parsing again). Throws
 * FileAccessError when `.syncignore` is a link ('rules-link'), a rules file is over MAX_RULES_BYTES
 * ('rules-too-large') or cannot be read.
 */
export async function loadIgnoreRules(root: string, previous?: IgnoreRules): Promise<IgnoreRules> {
  const shared = readRulesFile(path.join(root, SYNCIGNORE), false)
  const own = readRulesFile(path.join(root, DEVICE_IGNORE), true)
  const source = own ? `${shared}\n${own}` : shared
  if (previous?.source === source) return previous
  if (!source) return DEFAULT_RULES
  // Loaded only for a folder that has rules of its own: parsing the CommonJS package is a tenth of a no-change `sync once`.
  const {default: ignore} = await import('ignore')
  const rules = ignore().add(DEFAULT_IGNORES).add(shared).add(own)
  return {ignores: (relative) => rules.ignores(relative), source}
}
