/** What the planner decides for a path; the syncer carries it out. */
import type {Manifest} from '../manifest/manifest.js'
import type {SyncedVersion} from '../state/path-record.js'

export type Action =
  /** Local content is new: commit it on `base` (the remote head we know, or null). */
  | {type: 'upload'; path: string; base: number | null; manifest: Manifest}
  /** Local file was deleted: commit a tombstone on `base`. */
  | {type: 'delete-remote'; path: string; base: number}
  /** Local file was moved from `from`: commit one move, so others rename instead of downloading. */
  | {type: 'move-remote'; path: string; base: number | null; from: string; fromBase: number; manifest: Manifest}
  /** Remote content is new: write it here. */
  | {type: 'download'; path: string; remote: SyncedVersion & {manifest: Manifest}}
  /** Remote deleted the file: delete it here. */
  | {type: 'delete-local'; path: string; remote: SyncedVersion}
  /** Remote moved the file from `from`: rename it here. */
  | {type: 'move-local'; path: string; from: string; remote: SyncedVersion & {manifest: Manifest}}
  /** Both sides changed the file: merge (text) or keep both (conflict copy). */
  | {type: 'merge'; path: string; base?: Manifest; local: Manifest; remote: SyncedVersion & {manifest: Manifest}}
  /** Both sides agree: remember it as the base (undefined: forget the base). */
  | {type: 'record'; path: string; version: SyncedVersion | undefined}
