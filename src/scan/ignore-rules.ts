/**
 * Which paths are not synced: `.sync/`, our own temp files, editor droppings (vim's `*.swp` and its `4913`
 * probe, `*~` backups, emacs `.#*` locks), and whatever `.syncignore` at the folder's root says, in gitignore
 * syntax (the `ignore` package, which implements git's rules).
 */
import {readFile} from 'node:fs/promises'
import path from 'node:path'

export const SYNCIGNORE = '.syncignore'
export const DEFAULT_IGNORES = ['.sync/', '.*.sync-*.tmp', '*.swp', '*.swx', '*~', '.#*', '4913']

export interface IgnoreRules {
  /** `relative` uses `/`; folders are asked with a trailing `/`. */
  ignores(relative: string): boolean
}

/**
 * DEFAULT_IGNORES as one regular expression over the whole path, for folders without a `.syncignore` (most of
 * them): the `ignore` package tests every rule on every path, a fifth of a rescan of 10,000 files. A name
 * rule matches any component; `.sync/` only a folder (followed by `/`). Case-insensitive like the package; a
 * property test checks that both agree.
 */
const IGNORED_BY_DEFAULT = /(?:^|\/)(?:\.[^/]*\.sync-[^/]*\.tmp|[^/]*\.sw[px]|[^/]*~|\.#[^/]*|4913)(?:\/|$)|(?:^|\/)\.sync\//i

export function ignoredByDefault(relative: string): boolean {
  return IGNORED_BY_DEFAULT.test(relative)
}

export async function loadIgnoreRules(root: string): Promise<IgnoreRules> {
  const custom = await readFile(path.join(root, SYNCIGNORE), 'utf8').catch(() => '')
  if (!custom) return {ignores: ignoredByDefault}
  // Loaded only for a folder that has a .syncignore: parsing the CommonJS package is a tenth of a no-change `sync once`.
  const {default: ignore} = await import('ignore')
  const rules = ignore().add(DEFAULT_IGNORES).add(custom)
  return {ignores: (relative) => rules.ignores(relative)}
}
