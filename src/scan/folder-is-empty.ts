/**
 * Whether a synced folder holds no file at all that its rules track (folders alone do not count): what an
 * unmounted disk or a wiped folder looks like. Stops at the first file, so it costs little on a real folder.
 */
import {readdirSync} from 'node:fs'
import path from 'node:path'
import type {IgnoreRules} from './ignore-rules.js'

export function folderIsEmpty(root: string, rules: Pick<IgnoreRules, 'ignores'>): boolean {
  const pending = ['']
  while (pending.length > 0) {
    const dir = pending.pop()!
    let entries
    try {
      entries = readdirSync(path.join(root, dir), {withFileTypes: true})
    } catch {
      continue
    }
    for (const entry of entries) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name
      if (entry.isDirectory()) {
        if (!rules.ignores(`${relative}/`)) pending.push(relative)
      } else if (!rules.ignores(relative)) return false
    }
  }
  return true
}
