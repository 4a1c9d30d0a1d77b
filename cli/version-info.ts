/** What `sync show` and `sync diff` say about a version of a file: its JID, when and where it was made, its size and mode. */
import type {FoundVersion} from '#src/sync/find-version.js'

export interface VersionInfo {
  path: string
  jid: number
  /** ISO 8601, UTC (as `sync log --json`). */
  time: string
  device: string
  size: number
  kind: 'file' | 'symlink'
  /** git's file modes: 100644 a file, 100755 an executable one, 120000 a symbolic link (its content is the target). */
  mode: '100644' | '100755' | '120000'
}

export function versionInfo(path: string, {entry, manifest}: FoundVersion): VersionInfo {
  const symlink = manifest.kind === 'symlink'
  return {
    path,
    jid: entry.jid,
    time: new Date(entry.time).toISOString(),
    device: entry.device,
    size: symlink ? Buffer.byteLength(manifest.target) : manifest.size,
    kind: manifest.kind,
    mode: symlink ? '120000' : manifest.exec ? '100755' : '100644',
  }
}
