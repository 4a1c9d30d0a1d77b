/** Blobs as files under a folder: written to a temp file, fsynced and renamed into place (then the folder fsynced). */
import {mkdir, open, readdir, rm, stat} from 'node:fs/promises'
import path from 'node:path'
import {InvalidInputError, NotFoundError} from '#src/errors/index.js'
import {fsyncDir} from '#src/util/fsync-dir.js'
import {writeFileAtomic} from '#src/util/write-file-atomic.js'
import {BLOB_KEY, type BlobInfo, type BlobStore} from './blob-store.js'

export class DiskBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private fileOf(key: string): string {
    if (!BLOB_KEY.test(key)) throw new InvalidInputError(`not a blob key: ${JSON.stringify(key.slice(0, 200))}`)
    return path.join(this.root, ...key.split('/'))
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const file = this.fileOf(key)
    await mkdir(path.dirname(file), {recursive: true})
    await writeFileAtomic(file, bytes)
    if (path.dirname(file) !== this.root) await fsyncDir(path.dirname(path.dirname(file)))
  }

  async read(key: string, offset: number, length: number): Promise<Buffer> {
    const handle = await open(this.fileOf(key), 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new NotFoundError(`blob ${key} is not in the store`, {key})
      throw error
    })
    try {
      const bytes = Buffer.alloc(length)
      const {bytesRead} = await handle.read(bytes, 0, length, offset)
      if (bytesRead < length) throw new NotFoundError(`blob ${key} ends before byte ${offset + length}`, {key})
      return bytes
    } finally {
      await handle.close()
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.fileOf(key), {force: true})
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    const keys: string[] = []
    const walk = async (dir: string, under: string): Promise<void> => {
      const names = await readdir(dir, {withFileTypes: true}).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return []
        throw error
      })
      for (const entry of names) {
        const key = under === '' ? entry.name : `${under}/${entry.name}`
        if (entry.isDirectory()) await walk(path.join(dir, entry.name), key)
        else if (entry.isFile() && BLOB_KEY.test(key) && key.startsWith(prefix)) keys.push(key)
      }
    }
    await walk(this.root, '')
    for (const key of keys.sort()) {
      const info = await stat(this.fileOf(key)).catch(() => undefined)
      if (info) yield {key, size: info.size}
    }
  }

  async close(): Promise<void> {}
}
