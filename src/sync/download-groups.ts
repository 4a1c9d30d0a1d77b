/**
 * Cuts a pass's downloads into groups, each fetched while the group before it is written (apply-remote.ts), so
 * the network and the disk work at once. The first group is small, for the writes to start soon after the pass's
 * first answer; the others are bounded in files and in ids, which bounds what one fetch brings ahead of the writes.
 */
import type {Download} from './write-downloads.js'

export interface GroupLimits {
  /** Files of the first group. */
  firstFiles: number
  /** Files of every later group. */
  files: number
  /** Chunk ids of a group (a file with more is a group of its own). */
  ids: number
}

export function downloadGroups<T extends Download>(downloads: readonly T[], limits: GroupLimits): T[][] {
  const groups: T[][] = []
  let group: T[] = []
  let ids = 0
  for (const download of downloads) {
    const {manifest} = download.remote
    const count = manifest.kind === 'file' ? manifest.ids.length : 0
    const files = groups.length === 0 ? limits.firstFiles : limits.files
    if (group.length > 0 && (group.length >= files || ids + count > limits.ids)) {
      groups.push(group)
      group = []
      ids = 0
    }
    group.push(download)
    ids += count
  }
  if (group.length > 0) groups.push(group)
  return groups
}
