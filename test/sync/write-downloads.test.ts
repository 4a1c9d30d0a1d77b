import {lstatSync, writeFileSync} from 'node:fs'
import {readFile, readdir} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {IdList} from '#src/chunk/id-list.js'
import {LocalChangedError} from '#src/errors/local-changed-error.js'
import type {FileManifest} from '#src/manifest/manifest.js'
import {statUnchanged} from '#src/scan/stat-cache.js'
import type {LocalVersion} from '#src/state/path-record.js'
import {BATCH_FILES, writeDownloads, type Download} from '#src/sync/write-downloads.js'
import {TEMP_FILE_PATTERN} from '#src/util/temp-path.js'
import {tempStore} from '../helpers/store.js'
import {tempDir} from '../helpers/temp.js'

async function setup(t: Parameters<typeof tempDir>[0], count: number) {
  const root = await tempDir(t)
  const {store} = await tempStore(t)
  const downloads: Download[] = Array.from({length: count}, (_, i) => {
    const text = `recipe ${i}\nline two\n`
    const ids = IdList.fromHex(text.match(/[^\n]*\n/g)!.map((l) => store.add(Buffer.from(l))))
    const manifest: FileManifest = {kind: 'file', size: Buffer.byteLength(text), exec: false, ids}
    return {path: `dir${i % 3}/sub/r${i}.cook`, remote: {manifest}}
  })
  await store.flush()
  const placed = new Map<string, LocalVersion>()
  const failed = new Map<string, unknown>()
  return {root, store, downloads, placed, failed}
}

async function tempFiles(root: string): Promise<string[]> {
  return (await readdir(root, {recursive: true})).filter((p) => TEMP_FILE_PATTERN.test(path.basename(p)))
}

test('a file that appears locally while its batch is written is not overwritten; the others of the batch are placed', async (t) => {
  const count = BATCH_FILES * 2 + 5
  const {root, store, downloads, placed, failed} = await setup(t, count)
  const victim = downloads[BATCH_FILES + 7].path
  await writeDownloads(downloads, {
    root,
    store,
    // Asked once the temp file is complete, just before the rename: the user saves a file there at that moment.
    expected: (relative) => {
      if (relative === victim) writeFileSync(path.join(root, victim), 'mine\n')
      return undefined
    },
    failed: (download, error) => void failed.set(download.path, error),
    placed: (download, written) => void placed.set(download.path, written),
    folders: new Set(),
  })
  t.is(await readFile(path.join(root, victim), 'utf8'), 'mine\n')
  t.true(failed.get(victim) instanceof LocalChangedError)
  t.is(placed.size, count - 1)
  for (const [relative] of placed) t.regex(await readFile(path.join(root, relative), 'utf8'), /^recipe \d+\nline two\n$/)
  t.deepEqual(await tempFiles(root), [])
})

test('a batch stopped by an error leaves every placed file on disk, nothing else, and no temp file', async (t) => {
  const {root, store, downloads, placed} = await setup(t, BATCH_FILES * 3)
  // A version whose chunks do not make its size, in the second batch, taken as an error that stops the writes.
  const bad = downloads[BATCH_FILES + 3]
  bad.remote.manifest = {...(bad.remote.manifest as FileManifest), size: 1}
  const folders = new Set<string>()
  await t.throwsAsync(
    writeDownloads(downloads, {
      root,
      store,
      expected: () => undefined,
      failed: (_download, error) => {
        throw error
      },
      placed: (download, written) => void placed.set(download.path, written),
      folders,
    }),
    {message: /its chunks make/},
  )
  t.true(placed.size >= BATCH_FILES, 'the first batch was placed')
  t.true(placed.size < downloads.length)
  for (const {path: relative} of downloads) {
    const bytes = await readFile(path.join(root, relative), 'utf8').catch(() => undefined)
    t.is(bytes !== undefined, placed.has(relative), relative)
  }
  for (const relative of placed.keys()) t.true(folders.has(path.dirname(path.join(root, relative))), 'its folder is synced by the caller')
  t.deepEqual(await tempFiles(root), [])
})

test('files of every batch but the last are recorded as cleanly hashed: the next scan does not read them again', async (t) => {
  const count = BATCH_FILES * 5 + 5
  const {root, store, downloads, placed, failed} = await setup(t, count)
  await writeDownloads(downloads, {
    root,
    store,
    expected: () => undefined,
    failed: (download, error) => void failed.set(download.path, error),
    placed: (download, written) => void placed.set(download.path, written),
    folders: new Set(),
  })
  t.is(placed.size, count)
  const trusted = (download: Download) => statUnchanged(placed.get(download.path)!, lstatSync(path.join(root, download.path)))
  // Renamed once their racy window was over (stat-cache.ts): a scan skips them.
  t.true(downloads.slice(0, BATCH_FILES * 5).every(trusted))
})
