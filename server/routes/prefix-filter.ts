/**
 * The `prefix` of a sub-tree client's journal reads (docs/protocol.md, Sub-tree reads): only the entries that touch
 * a path under it (its path, or a move's old path) are sent, so a device that syncs `recipes/italian` does not
 * download the whole namespace's entries. The cursor still moves over the others: `last` is the JID of the last
 * entry read, sent or not.
 */
import type {Context} from 'koa'
import {checkPath} from '#src/paths/validate-path.js'
import type {StoredEntry} from '../storage/types.js'
import {stringParam} from '../http/query.js'

export type PrefixFilter = ((path: string) => boolean) & {
  prefix: string
  /** Whether `path` sorts (byte-wise, as heads are kept) after every path under the prefix. */
  past: (path: string) => boolean
}

/** The filter a request asks for, or undefined for the whole namespace. */
export function prefixParam(ctx: Context): PrefixFilter | undefined {
  const prefix = stringParam(ctx, 'prefix')
  if (prefix === undefined) return undefined
  const head = `${checkPath(prefix)}/`
  const under = (path: string) => path.startsWith(head)
  return Object.assign(under, {prefix, past: (path: string) => !under(path) && Buffer.compare(Buffer.from(path), Buffer.from(head)) > 0})
}

/** Whether an entry belongs in a page read under `under`: its path or its old path is under the prefix. */
export const touches = (under: PrefixFilter, entry: StoredEntry): boolean => under(entry.path) || (entry.from !== undefined && under(entry.from))
