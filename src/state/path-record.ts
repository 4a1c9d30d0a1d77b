/**
 * What the client knows about one path, the three trees of Dropbox's Nucleus kept side by side:
 * - local: the file as the last scan saw it (stat + manifest), absent when it is not on disk;
 * - base: the last version this device and the server agreed on (JID + manifest, or a deletion);
 * - remote: the newest version the journal has told us of (JID + manifest, or a deletion).
 * Local changed and remote not → upload; remote changed and local not → download; both → merge.
 */
import type {Stats} from 'node:fs'
import type {Manifest} from '../manifest/manifest.js'

export interface LocalVersion {
  manifest: Manifest
  size: number
  /** Node's `mtimeMs` (see scan/stat-cache.ts for why not nanoseconds). */
  mtimeMs: number
  ino: number
  /** ctime too: some editors keep mtime while rewriting; a change of either means hash again. */
  ctimeMs: number
  /** When it was hashed (ms). A file modified within the timestamp granularity of that moment is hashed again. */
  hashedAtMs: number
  /**
   * The bytes came from the journal as they are (a download, or one moved): not made on this device, so a remote
   * change that replaces them keeps nothing here (kept-versions.ts). Absent for what the scan found changed, a
   * merge, a restore: those are kept.
   */
  fromJournal?: true
}

export interface SyncedVersion {
  jid: number
  /** Absent for a deletion. */
  manifest?: Manifest
  /** Set on the deletion half of a move: where the content went. */
  movedTo?: string
  /** Set on the arriving half of a move: where the content came from. */
  movedFrom?: string
}

export interface PathRecord {
  local?: LocalVersion
  base?: SyncedVersion
  remote?: SyncedVersion
  /** Why the file could not be read at the last scan; such a path is left alone (never deleted remotely). */
  unreadable?: string
  /**
   * An ignore rule of this device matches the path: it is not tracked here. Nothing is sent for it (not even a
   * deletion), nothing is downloaded to it, and what is on disk stays; the remote tree still follows it.
   */
  ignored?: true
}

export function isDeleted(version: SyncedVersion | undefined): boolean {
  return version !== undefined && version.manifest === undefined
}

/** The stat fields a LocalVersion keeps (a file's, or a symlink's own). */
export type VersionStat = Pick<Stats, 'mtimeMs' | 'ctimeMs' | 'ino'>

/** What the folder holds at a path: `manifest`, as `stat` shows it, known since `hashedAtMs`. */
export function localVersion(manifest: Manifest, stat: VersionStat, hashedAtMs: number): LocalVersion {
  return {
    manifest,
    size: manifest.kind === 'file' ? manifest.size : Buffer.byteLength(manifest.target),
    mtimeMs: stat.mtimeMs,
    ctimeMs: stat.ctimeMs,
    ino: stat.ino,
    hashedAtMs,
  }
}
