/**
 * Watches a synced folder and reports the paths that change in it, relative, with `/`. Through @parcel/watcher:
 * native watches and a native list of the tree, no JavaScript object per file (chokidar's cost a daemon
 * watching 10,000 files 95 MB). Every write is reported, also one that leaves the mtime as it was. Paths the
 * ignore rules exclude are not reported, and `.sync/` is excluded natively: the database's writes never reach
 * JavaScript. A `.sync/` created or removed below the root is reported as its folder (a nested synced folder
 * came or went, nested-folders.ts). Symlinks are never followed.
 *
 * A reported folder stands for everything below it (the scan walks it): a folder created or moved in is one
 * path, not one per file. inotify watches folder by folder, and @parcel/watcher starts watching a new folder
 * but not the subfolders it already holds (`mkdir -p`, a moved-in tree; parcel-bundler/watcher#97): such a
 * folder gets a subscription of its own, which lists and watches its whole tree, before it is reported.
 * Subscriptions are made and ended one at a time, process-wide (parcel-in-turn.ts).
 *
 * @parcel/watcher also holds an event that comes within 500 ms of its previous batch for 50 ms (constants of
 * its native code). Someone editing one recipe again and again would wait that long each time, so the folders
 * of the latest changes are watched directly too (fs.watch: one inotify watch each, events at once), for a
 * while; the daemon's pass takes the same path twice as once.
 *
 * When the OS refuses to watch (inotify's limits, watch-limit.ts), `onLimit` is told and the watcher goes on with
 * what it could watch, possibly nothing: the daemon then rescans often.
 */
import {lstatSync, readdirSync, watch, type FSWatcher, type Stats} from 'node:fs'
import {realpath} from 'node:fs/promises'
import path from 'node:path'
import type {AsyncSubscription, Event} from '@parcel/watcher'
import {folderLayout} from '../folder/layout.js'
import type {IgnoreRules} from '../scan/ignore-rules.js'
import {markerOwner} from '../scan/nested-folders.js'
import {logger} from '../util/logger.js'
import {probeInotify} from './inotify-probe.js'
import {subscribe} from './parcel-in-turn.js'
import {type WatchLimit, watchLimitOf} from './watch-limit.js'

const log = logger('watcher')

/** How many recently changed folders are watched directly, and for how long after their last change. */
const HOT_FOLDERS = 16
const HOT_MS = 30_000

export interface FolderWatcher {
  close(): Promise<void>
}

export async function watchFolder(
  folder: string,
  rules: Pick<IgnoreRules, 'ignores'>,
  onChange: (paths: string[]) => void,
  onLimit: (limit: WatchLimit) => void = () => {},
): Promise<FolderWatcher> {
  // The folder itself may be reached through a link (~/Recipes -> /data/Recipes): resolved here, once.
  const root = await realpath(folder)
  const options = {ignore: [folderLayout(root).syncDir]}
  /** Subscriptions of folders that arrived with subfolders, by absolute path. */
  const trees = new Map<string, Promise<AsyncSubscription | undefined>>()
  /** Direct watches of the folders of recent changes, oldest first. */
  const hot = new Map<string, {watcher: FSWatcher; timer: NodeJS.Timeout}>()
  let closed = false

  const relativePath = (absolute: string) => path.relative(root, absolute).split(path.sep).join('/')
  const ignored = (relative: string, absolute: string) => {
    if (rules.ignores(relative)) return true
    if (!rules.ignores(`${relative}/`)) return false
    // A rule for folders only (`cache/`) leaves a file or link of that name synced, as the scan does. One gone, or
    // whose folder is gone or became a file before its event came, is nothing to report.
    const stat = lstatIfThere(absolute)
    return !stat || stat.isDirectory()
  }

  const watchTree = async (absolute: string) => {
    if (trees.has(absolute)) return
    const subscribing = subscribe(absolute, onEvents, options)
    trees.set(
      absolute,
      subscribing.catch(() => undefined),
    )
    // Gone again, or replaced by a link: nothing to watch.
    await subscribing.catch((error: Error) => {
      trees.delete(absolute)
      log('watching %s: %s', absolute, error.message)
      const limit = watchLimitOf(error)
      if (limit) onLimit(limit)
    })
  }
  const cool = (dir: string) => {
    const entry = hot.get(dir)
    if (!entry) return
    hot.delete(dir)
    clearTimeout(entry.timer)
    entry.watcher.close()
  }
  const warm = (dir: string) => {
    const known = hot.get(dir)
    if (known) {
      known.timer.refresh()
      hot.delete(dir)
      hot.set(dir, known)
      return
    }
    if (hot.size >= HOT_FOLDERS) cool(hot.keys().next().value!)
    let watcher: FSWatcher
    try {
      watcher = watch(dir, {persistent: false}, (_event, name) => {
        if (closed || !name) return
        // The folder itself went (its own name is said): its parent's watch reports it.
        if (name === path.basename(dir) && !lstatIfThere(dir)?.isDirectory()) return cool(dir)
        const absolute = path.join(dir, name)
        const relative = relativePath(absolute)
        const owner = markerOwner(relative)
        if (owner !== undefined) onChange([owner])
        else if (!ignored(relative, absolute)) onChange([relative])
      })
    } catch {
      return // Gone already.
    }
    watcher.on('error', () => cool(dir))
    hot.set(dir, {watcher, timer: setTimeout(() => cool(dir), HOT_MS).unref()})
  }
  const forgetTrees = (absolute: string) => {
    for (const [dir, subscription] of trees) {
      if (dir !== absolute && !dir.startsWith(absolute + path.sep)) continue
      trees.delete(dir)
      void subscription.then(unsubscribe)
    }
  }

  function onEvents(error: Error | null, events: Event[]) {
    if (error) {
      log('watching %s: %s', root, error.message)
      const limit = watchLimitOf(error)
      if (limit) onLimit(limit)
      return
    }
    if (closed) return
    const paths: string[] = []
    for (const {path: absolute, type} of events) {
      const relative = relativePath(absolute)
      // A nested synced folder's `.sync/` came or went: its folder is scanned again (skipped, or tracked again).
      const owner = markerOwner(relative)
      if (owner !== undefined) {
        paths.push(owner)
        continue
      }
      if (relative === '' || ignored(relative, absolute)) continue
      if (type === 'delete') forgetTrees(absolute)
      if (type === 'create' && holdsFolder(absolute)) void watchTree(absolute).then(() => closed || onChange([relative]))
      else {
        paths.push(relative)
        if (type !== 'delete') warm(path.dirname(absolute))
      }
    }
    if (paths.length > 0) onChange(paths)
  }

  const main = await probeInotify(root)
    .then(() => subscribe(root, onEvents, options))
    .catch((error: Error) => {
      const limit = watchLimitOf(error)
      if (!limit) throw error
      log('watching %s: %s', root, error.message)
      onLimit(limit)
      return undefined
    })
  return {
    async close() {
      closed = true
      for (const dir of [...hot.keys()]) cool(dir)
      const all = [Promise.resolve(main), ...trees.values()]
      trees.clear()
      await Promise.all(all.map(async (subscription) => unsubscribe(await subscription)))
    },
  }
}

/** Calls `onChange` with the name of each entry of `dir` written, created or removed (one inotify watch on `dir`, not below it). */
export function watchFile(dir: string, onChange: (name: string) => void): {close(): void} {
  try {
    const watcher = watch(dir, {persistent: false}, (_event, changed) => {
      if (changed) onChange(changed)
    })
    watcher.on('error', (error) => log('watching %s: %s', dir, error.message))
    return watcher
  } catch (error) {
    log('watching %s: %s', dir, (error as Error).message)
    return {close() {}}
  }
}

/** lstat, or undefined when there is nothing to look at (gone, its folder gone or a file now, unreadable). */
function lstatIfThere(absolute: string): Stats | undefined {
  try {
    return lstatSync(absolute, {throwIfNoEntry: false})
  } catch {
    return undefined
  }
}

/** A real folder (not a link to one) with a folder in it. */
function holdsFolder(absolute: string): boolean {
  try {
    return lstatSync(absolute).isDirectory() && readdirSync(absolute, {withFileTypes: true}).some((entry) => entry.isDirectory())
  } catch {
    return false
  }
}

/**
 * Unsubscribing throws when a folder that was moved and then deleted left a watch the kernel already dropped.
 * The callback is released before that, so no event comes any more; logged, not thrown.
 */
async function unsubscribe(subscription: AsyncSubscription | undefined): Promise<void> {
  await subscription?.unsubscribe().catch((error: Error) => log('unsubscribing: %s', error.message))
}
