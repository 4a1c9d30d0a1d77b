import {appendFile, readdir, readFile, stat, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {sha256Hex} from '#src/chunk/hash.js'
import {CorruptDataError, FileAccessError, MissingChunksError} from '#src/errors/index.js'
import {HASH_THREAD_MIN_BYTES} from '#src/files/hash-thread-pool.js'
import {hashAhead, stopHashingAhead} from '#src/files/hash-threads.js'
import {hashifyFile, hashifyFileInBatches} from '#src/files/hashify-file.js'
import {saveFile} from '#src/files/save-file.js'
import {randomBytes, seededRandom} from '../helpers/random.js'
import {openStoreIn, tempStore} from '../helpers/store.js'
import {cookbookFixture, tempDir} from '../helpers/temp.js'

async function walk(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, {withFileTypes: true})) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await walk(full)))
    else out.push(full)
  }
  return out
}

test('every file of the sample cookbook round-trips byte for byte', async (t) => {
  const {store} = await tempStore(t)
  const out = await tempDir(t)
  const files = await walk(cookbookFixture)
  t.true(files.length >= 30)
  for (const [i, file] of files.entries()) {
    const hashed = await hashifyFile(store, file)
    const copy = path.join(out, `copy-${i}`)
    await saveFile(store, copy, hashed.ids.toHexArray())
    t.true((await readFile(copy)).equals(await readFile(file)), file)
    t.is(hashed.kind, /\.(jpg)$/.test(file) ? 'binary' : 'text', file)
  }
})

test('the two identical photos of the cookbook are stored once', async (t) => {
  const {store} = await tempStore(t)
  const a = await hashifyFile(store, path.join(cookbookFixture, 'Breakfast', 'Easy Pancakes.jpg'))
  await store.flush()
  const before = store.chunkCount
  const b = await hashifyFile(store, path.join(cookbookFixture, 'Breakfast', 'Easy Pancakes.3.jpg'))
  t.true(a.ids.equals(b.ids))
  t.is(store.chunkCount, before)
})

const edgeCases: Record<string, Buffer> = {
  'empty file': Buffer.alloc(0),
  'last line without newline': Buffer.from('a\nb\nno newline'),
  CRLF: Buffer.from('one\r\ntwo\r\n'),
  'a lone CR': Buffer.from('one\rtwo\n'),
  'invalid UTF-8': Buffer.from([0xc3, 0x28, 0x0a, 0xa0, 0xa1, 0x0a, 0xff]),
  'NUL bytes': Buffer.from([0x00, 0x0a, 0x00, 0x00, 0x0a]),
  'a single 10 MB line': Buffer.concat([Buffer.from(randomBytes(10 * 1024 * 1024, 8).map((b) => (b === 0x0a ? 0x2e : b))), Buffer.from('\n')]),
}

for (const [name, bytes] of Object.entries(edgeCases)) {
  for (const extension of ['.txt', '.bin']) {
    test(`round-trips: ${name} (${extension})`, async (t) => {
      const {store} = await tempStore(t)
      const dir = await tempDir(t)
      const source = path.join(dir, `source${extension}`)
      await writeFile(source, bytes)
      const hashed = await hashifyFile(store, source)
      t.is(hashed.size, bytes.length)
      const copy = path.join(dir, 'copy')
      await saveFile(store, copy, hashed.ids.toHexArray())
      t.true((await readFile(copy)).equals(bytes))
    })
  }
}

test('an empty file has zero chunks and is a file, not an absence', async (t) => {
  const {store} = await tempStore(t)
  const dir = await tempDir(t)
  await writeFile(path.join(dir, 'empty.cook'), '')
  const hashed = await hashifyFile(store, path.join(dir, 'empty.cook'))
  t.is(hashed.ids.length, 0)
  await saveFile(store, path.join(dir, 'restored.cook'), [])
  t.is((await stat(path.join(dir, 'restored.cook'))).size, 0)
  await t.throwsAsync(hashifyFile(store, path.join(dir, 'absent.cook')), {instanceOf: FileAccessError})
})

test('changing one line of a recipe changes exactly one id', async (t) => {
  const {store} = await tempStore(t)
  const dir = await tempDir(t)
  const recipe = await readFile(path.join(cookbookFixture, 'Risotto.cook'), 'utf8')
  const edited = recipe.replace('Finely dice the @onion{1}.', 'Finely dice the @onion{2}.')
  t.not(edited, recipe)
  await writeFile(path.join(dir, 'a.cook'), recipe)
  await writeFile(path.join(dir, 'b.cook'), edited)
  const a = (await hashifyFile(store, path.join(dir, 'a.cook'))).ids.toHexArray()
  const b = (await hashifyFile(store, path.join(dir, 'b.cook'))).ids.toHexArray()
  t.is(a.length, b.length)
  t.is(a.filter((id, i) => id !== b[i]).length, 1)
})

test('save with a missing id writes nothing and names the id', async (t) => {
  const {store} = await tempStore(t)
  const dir = await tempDir(t)
  const present = store.add(Buffer.from('present\n'))
  const absent = sha256Hex(Buffer.from('absent\n'))
  const target = path.join(dir, 'out.cook')
  const error = await t.throwsAsync(saveFile(store, target, [present, absent]), {instanceOf: MissingChunksError})
  t.deepEqual(error?.ids, [absent])
  t.deepEqual(await readdir(dir), [])
})

test('a version whose chunks do not make the size it claims replaces nothing', async (t) => {
  const {store} = await tempStore(t)
  const dir = await tempDir(t)
  const target = path.join(dir, 'hello.txt')
  await writeFile(target, 'mine\n')
  const id = store.add(Buffer.from('hello\n'))
  const error = await t.throwsAsync(saveFile(store, target, [id], {size: 1e12}), {instanceOf: CorruptDataError})
  t.regex(error!.message, /make 6 bytes, not the 1000000000000/)
  t.is(await readFile(target, 'utf8'), 'mine\n')
  t.deepEqual(await readdir(dir), ['hello.txt'])
})

test('save never leaves a half-written file: the old content stays until the new one is complete', async (t) => {
  const {store} = await tempStore(t)
  const dir = await tempDir(t)
  const target = path.join(dir, 'recipe.cook')
  await writeFile(target, 'old\n')
  const id = store.add(Buffer.from('new\n'))
  let seenDuringWrite = ''
  await saveFile(store, target, [id], {
    beforeRename: async () => {
      seenDuringWrite = await readFile(target, 'utf8')
    },
  })
  t.is(seenDuringWrite, 'old\n')
  t.is(await readFile(target, 'utf8'), 'new\n')
  t.deepEqual((await readdir(dir)).sort(), ['recipe.cook'])
})

test('hashify refuses a directory, save refuses a directory and a missing folder', async (t) => {
  const {store} = await tempStore(t)
  const dir = await tempDir(t)
  await t.throwsAsync(hashifyFile(store, dir), {instanceOf: FileAccessError, message: /is a directory/})
  await t.throwsAsync(saveFile(store, dir, []), {instanceOf: FileAccessError, message: /is a directory/})
  await t.throwsAsync(saveFile(store, path.join(dir, 'no', 'such', 'x'), []), {instanceOf: FileAccessError, message: /folder does not exist/})
})

test('with noFollow (the scanner) a symlink is refused, never read through; without it (the plumbing) it is followed', async (t) => {
  const {store} = await tempStore(t)
  const dir = await tempDir(t)
  await writeFile(path.join(dir, 'outside.txt'), 'a secret outside the folder\n')
  await symlink(path.join(dir, 'outside.txt'), path.join(dir, 'link.cook'))
  const error = await t.throwsAsync(hashifyFile(store, path.join(dir, 'link.cook'), {noFollow: true}), {instanceOf: FileAccessError})
  t.is((error as FileAccessError).reason, 'not-a-file')
  t.is(store.chunkCount, 0, 'nothing of the target was stored')
  const followed = await hashifyFile(store, path.join(dir, 'link.cook'))
  t.deepEqual(followed.ids.toHexArray(), [sha256Hex(Buffer.from('a secret outside the folder\n'))])
})

test('a FIFO (put where the walk saw a file) is refused as no file, and nothing waits for a writer to it', async (t) => {
  const {store} = await tempStore(t)
  const dir = await tempDir(t)
  const fifo = path.join(dir, 'notes.md')
  await execa('mkfifo', [fifo])
  // Opened without O_NONBLOCK, a FIFO no one writes to blocks the opening thread (since files are opened on the
  // calling thread, the whole process) until a writer comes: this test would time out.
  for (const noFollow of [true, false]) {
    const error = await t.throwsAsync(hashifyFile(store, fifo, {noFollow}), {instanceOf: FileAccessError})
    t.is((error as FileAccessError).reason, 'not-a-file')
  }
  t.is(store.chunkCount, 0)
})

test("a small file is read whole and its stat is the opened file's, ctime included", async (t) => {
  const {store} = await tempStore(t)
  const dir = await tempDir(t)
  const file = path.join(dir, 'r.cook')
  await writeFile(file, 'one\ntwo\nthree')
  const hashed = await hashifyFile(store, file, {noFollow: true})
  const now = await stat(file, {bigint: true})
  t.deepEqual(
    hashed.ids.toHexArray(),
    ['one\n', 'two\n', 'three'].map((line) => sha256Hex(Buffer.from(line))),
  )
  t.deepEqual([hashed.stat.mtimeNs, hashed.stat.ctimeNs, hashed.stat.ino], [now.mtimeNs, now.ctimeNs, now.ino])
})

/** 300,000 short lines (more than one batch of ids), some repeated. */
const manyLines = () => Buffer.from(Array.from({length: 300_000}, (_, i) => `step ${i % 200_000}\n`).join(''))

test('in batches: the same ids in order, each batch durable (seen by another store) when handed over', async (t) => {
  const {store, dir} = await tempStore(t)
  const files = await tempDir(t)
  const file = path.join(files, 'many.txt')
  await writeFile(file, manyLines())
  const other = await openStoreIn(t, dir)
  const batches: string[][] = []
  const durable: boolean[] = []
  const result = await hashifyFileInBatches(store, file, async (ids) => {
    const hex = ids.toHexArray()
    batches.push(hex)
    other.store.refresh()
    durable.push(other.store.missing(hex).length === 0)
  })
  t.true(batches.length >= 2)
  t.deepEqual(
    durable,
    batches.map(() => true),
  )
  const whole = await hashifyFile(store, file)
  t.deepEqual(batches.flat(), whole.ids.toHexArray())
  t.like(result, {kind: 'text', size: whole.size, chunks: 300_000})
})

test('in batches: a file that changes after a batch was handed over fails, and what was handed over is its start', async (t) => {
  const {store} = await tempStore(t)
  const files = await tempDir(t)
  const file = path.join(files, 'many.txt')
  const bytes = manyLines()
  await writeFile(file, bytes)
  const batches: string[][] = []
  const error = await t.throwsAsync(
    hashifyFileInBatches(store, file, async (ids) => {
      batches.push(ids.toHexArray())
      await appendFile(file, 'one more line\n')
    }),
    {instanceOf: FileAccessError},
  )
  t.is(error?.reason, 'changed')
  t.is(batches.length, 1)
  const lines = bytes.toString('latin1').split(/(?<=\n)/)
  t.deepEqual(
    batches[0],
    lines.slice(0, batches[0].length).map((line) => sha256Hex(Buffer.from(line, 'latin1'))),
  )
})

/** Text of short lines (pieces of the hashing thread fill up before their end) and long ones, some repeated. */
function bigText(bytes: number): Buffer {
  const random = seededRandom(11)
  const lines: string[] = []
  for (let size = 0; size < bytes;) {
    const line =
      random() < 0.5 ? `${Math.floor(random() * 50)}\n` : `Add @salt{${Math.floor(random() * 1e6)}%g} and stir for ~{${Math.floor(random() * 60)}%minutes}.\n`
    lines.push(line)
    size += line.length
  }
  return Buffer.from(lines.join(''))
}

const onThisThread = {workerMinBytes: Infinity}
const inTheThread = {workerMinBytes: 0}

for (const [kind, make] of [
  ['text', () => bigText(3_000_000)],
  ['binary', () => randomBytes(6_000_000, 12)],
] as const) {
  test(`${kind}: hashed in the hashing thread, a file has the ids and stored chunks it has when hashed on this thread`, async (t) => {
    const {store} = await tempStore(t)
    const dir = await tempDir(t)
    const file = path.join(dir, kind === 'text' ? 'big.txt' : 'big.bin')
    const bytes = make()
    await writeFile(file, bytes)
    const here = await hashifyFile(store, file, onThisThread)
    const {store: other} = await tempStore(t)
    const there = await hashifyFile(other, file, inTheThread)
    t.true(there.ids.equals(here.ids))
    t.like(there, {kind, size: bytes.length})
    t.is(other.chunkCount, store.chunkCount)
    await saveFile(other, path.join(dir, 'copy'), there.ids.toHexArray())
    t.true((await readFile(path.join(dir, 'copy'))).equals(bytes))
  })
}

test('two big files at once: one in the hashing thread, the other on this thread, both right', async (t) => {
  const {store} = await tempStore(t)
  const dir = await tempDir(t)
  const files = [path.join(dir, 'a.txt'), path.join(dir, 'b.bin')]
  await writeFile(files[0], bigText(2_000_000))
  await writeFile(files[1], randomBytes(4_000_000, 13))
  const both = await Promise.all(files.map((file) => hashifyFile(store, file, inTheThread)))
  const {store: other} = await tempStore(t)
  for (const [i, file] of files.entries()) t.true(both[i].ids.equals((await hashifyFile(other, file, onThisThread)).ids), file)
})

test('in the hashing thread: a file that changes while read fails as changed; a caller that stops part-way leaves the thread usable', async (t) => {
  const {store} = await tempStore(t)
  const dir = await tempDir(t)
  const file = path.join(dir, 'many.txt')
  await writeFile(file, manyLines())
  const changed = await t.throwsAsync(
    hashifyFileInBatches(store, file, async () => appendFile(file, 'one more line\n'), inTheThread),
    {instanceOf: FileAccessError},
  )
  t.is(changed?.reason, 'changed')
  await writeFile(file, manyLines())
  await t.throwsAsync(
    hashifyFileInBatches(store, file, async () => Promise.reject(new Error('the reader went away')), inTheThread),
    {message: 'the reader went away'},
  )
  const whole = await hashifyFile(store, file, inTheThread)
  t.true(whole.ids.equals((await hashifyFile(store, file, onThisThread)).ids))
})

test('hashed ahead (the CLI, while its store opens): taken over when the same file is asked for, dropped when it changed or another is', async (t) => {
  const {store} = await tempStore(t)
  const dir = await tempDir(t)
  const [a, b] = [path.join(dir, 'a.txt'), path.join(dir, 'b.txt')]
  await writeFile(a, bigText(HASH_THREAD_MIN_BYTES + 100_000))
  await writeFile(b, bigText(HASH_THREAD_MIN_BYTES + 200_000))
  const expected = async (file: string) => (await hashifyFile(store, file, onThisThread)).ids
  await hashAhead(a)
  t.true((await hashifyFile(store, a)).ids.equals(await expected(a)), 'taken over')
  await hashAhead(a)
  t.true((await hashifyFile(store, b)).ids.equals(await expected(b)), 'another file asked for')
  await hashAhead(a)
  await appendFile(a, 'a line added after it was started\n')
  t.true((await hashifyFile(store, a)).ids.equals(await expected(a)), 'changed since it was started')
  await hashAhead(a)
  await stopHashingAhead()
  t.true((await hashifyFile(store, a)).ids.equals(await expected(a)), 'stopped')
})

test("a file's id list is kept at its length, not at the size it grew to while hashing", async (t) => {
  const {store} = await tempStore(t)
  const file = path.join(await tempDir(t), 'lines.txt')
  // Four pieces of 512 KiB: the list grows piece by piece, by doubling.
  const lines = 180_000
  await writeFile(file, Array.from({length: lines}, (_, i) => `line ${i}\n`).join(''))
  const {ids} = await hashifyFile(store, file)
  t.is(ids.length, lines)
  t.is(ids.capacity, lines)
})
