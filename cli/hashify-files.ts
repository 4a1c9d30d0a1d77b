/**
 * `sync hashify`'s work, shared by the oclif command and the fast path (fast-path.ts). Each starts the hashing
 * thread first (warmUpForBigFiles), before loading this module and the store.
 */
import {HEX_LINE_BYTES} from '#src/chunk/hex-lines.js'
import type {IdList} from '#src/chunk/id-list.js'
import {hashifyFile, hashifyFileInBatches} from '#src/files/hashify-file.js'
import {SyncFolder} from '#src/folder/sync-folder.js'

export interface HashifyResult {
  files: {path: string; kind: string; size: number; chunks: number; ids: string[]}[]
}

/** Ids printed per write: 1 MiB of output. */
const IDS_PER_WRITE = 16 * 1024

/** Stores the files' chunks and prints their ids, one per line, each batch once its chunks are durable. */
export async function printHashified(startDir: string, files: readonly string[]): Promise<void> {
  const folder = await openForHashify(startDir)
  try {
    // Not kept: a 1 GB text file has about 650,000 ids (21 MB).
    for (const file of files) await hashifyFileInBatches(folder.store, file, printIds, {rules: folder.kindRules})
  } finally {
    await folder.close()
  }
}

/** Stores the files' chunks and returns each one's path, kind, size and ids. */
export async function hashifyToJson(startDir: string, files: readonly string[]): Promise<HashifyResult> {
  const folder = await openForHashify(startDir)
  try {
    const result: HashifyResult = {files: []}
    for (const file of files) {
      const hashed = await hashifyFile(folder.store, file, {rules: folder.kindRules})
      await folder.store.flush()
      result.files.push({path: file, kind: hashed.kind, size: hashed.size, chunks: hashed.ids.length, ids: hashed.ids.toHexArray()})
    }
    return result
  } finally {
    await folder.close()
  }
}

/** The folder, its store compressing on this thread: the hashing thread cuts and hashes, this one only stores. */
async function openForHashify(startDir: string): Promise<SyncFolder> {
  const folder = await SyncFolder.open(startDir)
  folder.store.compressOnThisThread()
  return folder
}

/** Prints ids through one buffer, reused once stdout is done with it (100 MB of text cut in runs of lines prints ~4 MB of them). */
async function printIds(ids: IdList): Promise<void> {
  const out = Buffer.allocUnsafe(IDS_PER_WRITE * HEX_LINE_BYTES)
  for (let at = 0; at < ids.length; at += IDS_PER_WRITE) {
    const lines = ids.hexLines(at, Math.min(ids.length, at + IDS_PER_WRITE), out)
    await new Promise<void>((resolve, reject) => process.stdout.write(lines, (error) => (error ? reject(error) : resolve())))
  }
}
