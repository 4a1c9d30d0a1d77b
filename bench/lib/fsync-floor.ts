/**
 * The receiver's floor for an initial sync: the same files written into an empty folder by a plain node script,
 * each durable before it counts (temp file, write, fsync, rename, as a sync client must), then each folder
 * fsynced once. Many files at a time, from a thread pool as large as the client's, so that the file system can
 * group the journal commits of concurrent fsyncs. Bytes are read before the clock starts: only the writes count.
 * Runs in a child process of its own, as the client does, with libuv's pool sized by UV_THREADPOOL_SIZE.
 */
import {execFile} from 'node:child_process'
import {mkdir, open, readFile, readdir, rename} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'

const CONCURRENCY = 64
const POOL_THREADS = '64'
const self = fileURLToPath(import.meta.url)

/** Seconds to write and fsync every file of `source` into `target` (which must not exist), in a fresh node. */
export async function fsyncFloor(source: string, target: string): Promise<number> {
  const {stdout} = await promisify(execFile)('node', [self, source, target], {env: {...process.env, UV_THREADPOOL_SIZE: POOL_THREADS}})
  return Number(stdout)
}

async function writeDurably(source: string, target: string): Promise<number> {
  const files: Array<{relative: string; bytes: Buffer}> = []
  for (const entry of await readdir(source, {withFileTypes: true, recursive: true})) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    files.push({relative: path.relative(source, full), bytes: await readFile(full)})
  }
  const started = process.hrtime.bigint()
  // Each folder made once; a file waits for its folder's mkdir even when another worker started it.
  const folders = new Map<string, Promise<unknown>>()
  let next = 0
  const worker = async () => {
    while (next < files.length) {
      const {relative, bytes} = files[next++]
      const file = path.join(target, relative)
      const dir = path.dirname(file)
      if (!folders.has(dir)) folders.set(dir, mkdir(dir, {recursive: true}))
      await folders.get(dir)
      const temp = path.join(dir, `.${path.basename(file)}.tmp`)
      const handle = await open(temp, 'wx')
      await handle.write(bytes)
      await handle.sync()
      await handle.close()
      await rename(temp, file)
    }
  }
  await Promise.all(Array.from({length: CONCURRENCY}, worker))
  await Promise.all(
    [...folders.keys()].map(async (dir) => {
      const handle = await open(dir, 'r')
      await handle.sync()
      await handle.close()
    }),
  )
  return Number(process.hrtime.bigint() - started) / 1e9
}

if (process.argv[1] === self) process.stdout.write(String(await writeDurably(process.argv[2], process.argv[3])))
