/**
 * Sub-tree (selective) sync: a folder that syncs only the paths under a prefix of its namespace (`NS:recipes/italian`)
 * holds them without it (remote `recipes/italian/x.cook` is local `x.cook`). The journal client maps every path
 * through here, both ways, so the rest of the engine sees local paths only. What comes from the server is checked
 * again after the mapping: a server (or another writer of the namespace) is not trusted to filter by the prefix, so
 * an entry outside it is dropped, and one whose local path is refused (`.sync/...` once the prefix is taken off) is
 * refused as any bad path is. A move across the prefix's edge is, here, the creation or the deletion it looks like.
 */
import {InvalidInputError} from '../errors/index.js'
import {validatePath} from '../paths/validate-path.js'
import type {CommitItem, CommitResult} from './commit-wire.js'
import type {JournalEntry} from './journal-entry.js'
import type {RefusedEntry} from './read-answers.js'

/** A prefix as given (`recipes/italian`, one trailing `/` allowed), checked by the protocol's path rules. */
export function checkPrefix(prefix: string): string {
  const bare = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix
  const reason = validatePath(bare)
  if (reason !== undefined) throw new InvalidInputError(`the sub-tree ${JSON.stringify(prefix)} is not a valid path: ${reason}`, {prefix})
  return bare
}

/** `NS` or `NS:PREFIX` (a namespace has no `:`), the prefix checked; the namespace is checked with the rest of the settings. */
export function splitNamespace(given: string): {namespace: string; prefix?: string} {
  const colon = given.indexOf(':')
  if (colon === -1) return {namespace: given}
  return {namespace: given.slice(0, colon), prefix: checkPrefix(given.slice(colon + 1))}
}

export class PathPrefix {
  private readonly head: string

  constructor(readonly prefix: string) {
    this.head = `${prefix}/`
  }

  toRemote(path: string): string {
    return this.head + path
  }

  /** The local path of a remote one, or undefined when it is outside the prefix or refused here. */
  toLocal(path: string): string | undefined {
    if (!path.startsWith(this.head)) return undefined
    const local = path.slice(this.head.length)
    return validatePath(local) === undefined ? local : undefined
  }

  /** Why a local path cannot be sent under the prefix (the whole remote path is too long, say), or undefined. */
  unsendable(path: string): string | undefined {
    return validatePath(path) ?? validatePath(this.toRemote(path))
  }

  /**
   * An entry as this folder sees it: moved in from outside, a creation; moved out, a deletion of its old path;
   * outside altogether (a server that did not filter), nothing. A path under the prefix that is refused here is
   * reported as refused.
   */
  entry(entry: JournalEntry): {entry?: JournalEntry; refused: RefusedEntry[]} {
    const path = this.toLocal(entry.path)
    const from = entry.from === undefined ? undefined : this.toLocal(entry.from)
    const refused = [...this.refusal(entry.path, path, entry.kind === 'deleted'), ...(entry.from === undefined ? [] : this.refusal(entry.from, from, true))]
    const {from: _from, ...rest} = entry
    if (path !== undefined) return {entry: {...rest, path, ...(from === undefined ? {} : {from})}, refused}
    if (from === undefined) return {refused}
    // Moved out of the sub-tree: here its old path is deleted. (The version before is not this entry's `prev`.)
    const {manifest: _m, edits: _e, tree: _t, size: _s, exec: _x, pruned: _p, ...deletion} = rest
    return {entry: {...deletion, path: from, prev: null, kind: 'deleted'}, refused}
  }

  /** An entry that must be under the prefix (the answer to a request naming a path of it). */
  inside(entry: JournalEntry): JournalEntry {
    const mapped = this.entry(entry).entry
    if (!mapped) {
      throw new InvalidInputError(`malformed answer from the server: ${JSON.stringify(entry.path)} is outside the sub-tree ${this.prefix}`)
    }
    return mapped
  }

  item(item: CommitItem): CommitItem {
    return {...item, path: this.toRemote(item.path), ...(item.from ? {from: {...item.from, path: this.toRemote(item.from.path)}} : {})}
  }

  result(result: CommitResult): CommitResult {
    if (result.status === 'conflict') return {...result, head: this.inside(result.head)}
    if ((result.status === 'committed' || result.status === 'unchanged') && result.from !== undefined) {
      const from = this.toLocal(result.from)
      if (from === undefined) throw new InvalidInputError(`malformed answer from the server: a move from ${JSON.stringify(result.from)}, outside the sub-tree`)
      return {...result, from}
    }
    return result
  }

  private refusal(remote: string, local: string | undefined, gone: boolean): RefusedEntry[] {
    if (local !== undefined || !remote.startsWith(this.head)) return []
    return [{path: remote, reason: `${validatePath(remote.slice(this.head.length))} (without the sub-tree's ${this.head})`, gone}]
  }
}
