/**
 * The indexer's scan: brings the local tree of the folder state up to date with the disk. Files whose stat
 * did not change are not read (stat-cache.ts); the others are hashed into the store. A path that vanished is
 * recorded as locally deleted, except below a folder that could not be listed. An unreadable file keeps its
 * last known version and is marked, so it is never deleted on other devices.
 *
 * A recorded path an ignore rule now matches is marked ignored (PathRecord.ignored), never taken as deleted; one
 * that no rule matches any more is tracked again from what is on disk. A nested synced folder (nested-folders.ts) is
 * treated the same way: its files are not tracked here, and its appearing deletes nothing.
 *
 * Knows nothing of the server (like Syncthing's scanner): it only fills in `local`.
 */
import {lstat, readlink, unlink} from 'node:fs/promises'
import {existsSync, lstatSync} from 'node:fs'
import path from 'node:path'
import type {KindRules} from '../chunk/file-kind.js'
import {FileAccessError, isSyncError} from '../errors/index.js'
import {hashifyFile, type HashifyOptions} from '../files/hashify-file.js'
import {blockingParent} from '../files/inside-folder.js'
import {type Manifest, manifestsEqual} from '../manifest/manifest.js'
import {coveredBy} from '../paths/covered-by.js'
import type {FolderState} from '../state/folder-state.js'
import {localVersion, type LocalVersion} from '../state/path-record.js'
import type {ChunkStore} from '../store/chunk-store.js'
import {runLimited} from '../util/run-limited.js'
import type {IgnoreRules} from './ignore-rules.js'
import {nestedFolderFinder} from './nested-folders.js'
import {msFromNs} from '../util/ms-from-ns.js'
import {recordedClean} from './stat-cache.js'
import {mayNotBeUtf8, namesNotUtf8, NOT_UTF8_REASON} from './names-not-utf8.js'
import {walkFolder, type WalkedFile} from './walk-folder.js'
import {removeResetLeftover} from '../folder/reset-leftovers.js'

export interface ScanOptions {
  rules: IgnoreRules
  kindRules?: KindRules
  /** Why a path cannot be synced (the protocol refuses it), or undefined when it can. */
  unsyncable?: (relative: string) => string | undefined
  /** Scan only these paths (files or folders, relative); default: the whole folder. */
  paths?: readonly string[]
  /** The chunks read are not kept (the store holds them in memory: the disk is full): read these files again next scan. */
  hashAgainNextScan?: boolean
  /** Called once the files to read are known (done 0) and after each is read. */
  onProgress?: (done: number, total: number) => void
}

export interface ScanResult {
  /** Paths whose local version changed (created, edited, deleted). */
  changed: string[]
  files: number
  hashed: number
  unreadable: string[]
  unsyncable: {path: string; reason: string}[]
  /** Nested synced folders this scan came across and skipped. */
  nested: string[]
}

const HASH_CONCURRENCY = 4
const CHANGED_WHILE_READING_RETRIES = 3

export async function scanFolder(root: string, store: ChunkStore, state: FolderState, options: ScanOptions): Promise<ScanResult> {
  const result: ScanResult = {changed: [], files: 0, hashed: 0, unreadable: [], unsyncable: [], nested: []}
  const seen = new Set<string>()
  const toHash: WalkedFile[] = []
  const {unlistable, temps, resetLeftovers, nested, notUtf8, scope} = listFiles(root, options, (file) => {
    const record = state.get(file.path)
    const unchanged = recordedClean(record, file.stat)
    // Checked whenever there is something to send: a path the rules of an older version let in sends nothing
    // while it stays unchanged, and is refused (not sent) once it changes.
    const reason = unchanged ? undefined : options.unsyncable?.(file.path)
    if (reason) {
      result.unsyncable.push({path: file.path, reason})
      return
    }
    seen.add(file.path)
    result.files++
    if (unchanged) return
    // The walk skips ignored paths: this one no longer is (a rule went), and is tracked again from what is on disk.
    if (record?.ignored) state.update(file.path, {ignored: undefined})
    toHash.push(file)
  })
  // The folder itself gone (an unmounted disk, a moved folder): nothing is known of its files, so nothing is synced.
  if (unlistable.includes('')) throw new FileAccessError(root, existsSync(root) ? 'permission' : 'not-found')
  result.nested = nested
  for (const relative of notUtf8) result.unsyncable.push({path: relative, reason: NOT_UTF8_REASON})
  // Temp files of a sync that died between writing and renaming. The caller holds the folder lock and no pass
  // is running, so none of them is in use.
  for (const temp of temps) await unlink(path.join(root, temp)).catch(() => {})
  for (const name of resetLeftovers) await removeResetLeftover(root, name)

  let done = 0
  options.onProgress?.(0, toHash.length)
  const previousOf = previousVersions(state)
  await runLimited(toHash, HASH_CONCURRENCY, async (file) => {
    const previous = previousOf(file)
    const outcome = await readVersion(root, file, store, options, previous)
    options.onProgress?.(++done, toHash.length)
    if (outcome === 'gone') return
    if (typeof outcome === 'string') {
      result.unreadable.push(file.path)
      state.update(file.path, {unreadable: outcome})
      return
    }
    result.hashed++
    const before = state.get(file.path)?.local
    const same = before !== undefined && manifestsEqual(before.manifest, outcome.manifest)
    // Read again unchanged (a touch, a download within its racy window): still the journal's bytes, not made here.
    state.update(file.path, {local: same && before.fromJournal ? {...outcome, fromJournal: true} : outcome, unreadable: undefined})
    if (!same) result.changed.push(file.path)
  })

  const nestedFolderOf = nestedFolderFinder(root)
  for (const [relative, record] of state.entries()) {
    if (seen.has(relative) || !scope(relative)) continue
    if (options.rules.ignores(relative) || nestedFolderOf(relative) !== undefined || options.unsyncable?.(relative)) {
      // Not tracked here from now on: not a deletion, whatever is on disk (a path now refused is reported above).
      if (!record.ignored) state.update(relative, {ignored: true})
      continue
    }
    if (record.ignored) {
      // Tracked again, and not on disk: this device never had it, so nothing is sent and the remote version comes.
      state.update(relative, {ignored: undefined, local: undefined, base: undefined, unreadable: undefined})
      continue
    }
    if (!record.local) continue
    if (unlistable.some((dir) => dir === '' || relative.startsWith(`${dir}/`))) continue
    state.update(relative, {local: undefined, unreadable: undefined})
    result.changed.push(relative)
  }
  // The state flushes the chunks its records name before it writes them (StateOptions.chunks).
  await state.save()
  return result
}

/** A big file's size of id list is worth knowing before hashing it (hashify-file.ts's `previous`). */
const ESTIMATE_BY_INODE_MIN_BYTES = 1024 * 1024

/**
 * The version a file to hash had before: its path's record, or else, for a big file, the record of the same
 * inode (a file moved or renamed: its new path has no record yet). Only a size hint, so a reused inode is harmless.
 */
function previousVersions(state: FolderState): (file: WalkedFile) => HashifyOptions['previous'] {
  let byInode: Map<number, Manifest> | undefined
  const hint = (manifest: Manifest | undefined) => (manifest?.kind === 'file' ? {size: manifest.size, chunks: manifest.ids.length} : undefined)
  return (file) => {
    const known = state.get(file.path)?.local?.manifest
    if (known || file.stat.size < ESTIMATE_BY_INODE_MIN_BYTES) return hint(known)
    if (!byInode) {
      byInode = new Map()
      for (const [, record] of state.entries()) if (record.local?.manifest.kind === 'file') byInode.set(record.local.ino, record.local.manifest)
    }
    return hint(byInode.get(file.stat.ino))
  }
}

/** Visits the files to look at; returns the folders that could not be listed, and which recorded paths this scan covers. */
function listFiles(root: string, options: ScanOptions, visit: (file: WalkedFile) => void) {
  if (!options.paths) return {...walkFolder(root, options.rules, visit), scope: () => true}
  const unlistable: string[] = []
  const nested: string[] = []
  const notUtf8: string[] = []
  const nestedFolderOf = nestedFolderFinder(root)
  // Folders above the paths found real folders, looked at once for the whole list (most paths share them).
  const realFolders = new Set<string>()
  for (const relative of options.paths) {
    let visited = 0
    const walked = walkFolder(
      root,
      options.rules,
      (file) => {
        visited++
        visit(file)
      },
      relative,
      realFolders,
    )
    unlistable.push(...walked.unlistable)
    nested.push(...walked.nested)
    notUtf8.push(...walked.notUtf8)
    if (visited === 0 && walked.unlistable.length === 0 && walked.nested.length === 0) {
      // Not a folder: a single file (or nothing, when it was deleted), unless it is inside a nested synced folder.
      const inNested = nestedFolderOf(relative)
      if (inNested !== undefined) nested.push(inNested)
      const single = inNested === undefined ? statSingle(root, relative, options.rules, realFolders) : undefined
      if (single) visit(single)
      // A watcher names a file as Node lists it: one whose name is not UTF-8 is reported again, not taken as gone.
      else if (inNested === undefined && notUtf8Here(root, relative)) notUtf8.push(relative)
    }
  }
  const scope = coveredBy(options.paths)
  // A partial scan leaves temp files alone: a pass may be writing them right now in another folder of the tree.
  return {unlistable, temps: [] as string[], resetLeftovers: [] as string[], nested: [...new Set(nested)], notUtf8: [...new Set(notUtf8)], scope}
}

function notUtf8Here(root: string, relative: string): boolean {
  const name = path.basename(relative)
  return mayNotBeUtf8(name) && namesNotUtf8(path.join(root, path.dirname(relative))).has(name)
}

function statSingle(root: string, relative: string, rules: IgnoreRules, realFolders: Set<string>): WalkedFile | undefined {
  // Below a link or a file, a path is not in the folder (the walk never goes there either).
  if (rules.ignores(relative) || blockingParent(root, relative, realFolders) !== undefined) return undefined
  try {
    const stat = lstatSync(path.join(root, relative))
    if (stat.isFile() || stat.isSymbolicLink()) return {path: relative, stat}
  } catch {
    // Absent: the caller's scope makes it a deletion.
  }
  return undefined
}

/** The file's version, or why it could not be read, or 'gone' when it vanished meanwhile. */
async function readVersion(
  root: string,
  file: WalkedFile,
  store: ChunkStore,
  options: ScanOptions,
  previous: HashifyOptions['previous'],
): Promise<LocalVersion | string | 'gone'> {
  const absolute = path.join(root, file.path)
  for (let attempt = 0; ; attempt++) {
    const hashedAtMs = Date.now()
    try {
      // A folder above it swapped for a link since the walk: not in the folder any more.
      if (blockingParent(root, file.path) !== undefined) return 'gone'
      if (file.stat.isSymbolicLink()) {
        const target = await readlink(absolute)
        return localVersion({kind: 'symlink', target}, await lstat(absolute), hashedAtMs)
      }
      // Never through a symlink (the walk saw a file; a link put there since is refused and read next time).
      // The stat is the opened file's: a rename over the path meanwhile shows as another inode next scan.
      const hashed = await hashifyFile(store, absolute, {rules: options.kindRules, noFollow: true, previous})
      const manifest: Manifest = {kind: 'file', size: hashed.size, exec: (hashed.stat.mode & 0o111) !== 0, ids: hashed.ids}
      const {mtimeNs, ctimeNs, ino} = hashed.stat
      // Hashed "at 0", a file is racily clean (stat-cache.ts) whatever its stat: the next scan reads it again.
      return localVersion(manifest, {mtimeMs: msFromNs(mtimeNs), ctimeMs: msFromNs(ctimeNs), ino: Number(ino)}, options.hashAgainNextScan ? 0 : hashedAtMs)
    } catch (error) {
      const reason = isSyncError(error) && error instanceof FileAccessError ? error.reason : (error as NodeJS.ErrnoException).code
      if (reason === 'not-found' || reason === 'ENOENT') return 'gone'
      if (reason === 'changed' && attempt < CHANGED_WHILE_READING_RETRIES) continue
      if (reason === 'changed') return 'changing while being read'
      if (reason === 'permission' || reason === 'EACCES' || reason === 'EPERM') return 'permission denied'
      if (reason === 'not-a-file' || reason === 'is-directory') return 'gone'
      throw error
    }
  }
}
