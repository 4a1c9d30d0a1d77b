/** A journal entry as clients see it (docs/protocol.md, Journal entries). */
import type {EditOp} from '../manifest/edits.js'
import type {TreeRef} from '../manifest/id-tree.js'
import type {Manifest} from '../manifest/manifest.js'

export type EntryKind = 'file' | 'symlink' | 'deleted'

export interface JournalEntry {
  jid: number
  path: string
  /** The JID of the path's previous entry, or null for its first. */
  prev: number | null
  kind: EntryKind
  device: string
  /** Server clock, milliseconds since the epoch. */
  time: number
  /** On a move: the old path, deleted by this same entry. */
  from?: string
  size?: number
  exec?: boolean
  /** When the wire had the full ids (or a symlink target). */
  manifest?: Manifest
  /** When the wire had an edit script relative to the `prev` version instead. */
  edits?: EditOp[]
  /** When the wire had the root of the ids' tree instead (a file of many chunks): the journal client expands it. */
  tree?: TreeRef
  /**
   * The version is past the namespace's retention (docs/protocol.md, Retention): the entry stays, without its ids
   * (or target), and its chunks may be gone. Never a path's head.
   */
  pruned?: true
}

/** Whether `entry` (the head of `path`) leaves `path` absent: a tombstone, or a move away from it. */
export function deletesPath(entry: Pick<JournalEntry, 'kind' | 'path'>, path: string): boolean {
  return entry.kind === 'deleted' || entry.path !== path
}
