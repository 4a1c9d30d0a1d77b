/**
 * Which paths are not synced: `.sync/`, our own temp files, editor droppings (vim's `*.swp` and its `4913`
 * probe, `*~` backups, emacs `.#*` locks), and whatever `.syncignore` at the folder's root says, in gitignore
 * syntax (the `ignore` package, which implements git's rules).
 */
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import ignore, {type Ignore} from 'ignore'

export const SYNCIGNORE = '.syncignore'
export const DEFAULT_IGNORES = ['.sync/', '.*.sync-*.tmp', '*.swp', '*.swx', '*~', '.#*', '4913']

export interface IgnoreRules {
  /** `relative` uses `/`; folders are asked with a trailing `/`. */
  ignores(relative: string): boolean
}

export async function loadIgnoreRules(root: string): Promise<IgnoreRules> {
  const rules: Ignore = ignore().add(DEFAULT_IGNORES)
  const custom = await readFile(path.join(root, SYNCIGNORE), 'utf8').catch(() => '')
  if (custom) rules.add(custom)
  return {ignores: (relative) => rules.ignores(relative)}
}
