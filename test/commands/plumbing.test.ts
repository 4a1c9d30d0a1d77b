import {lstat, mkdir, readdir, readFile, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {Chunker} from '#src/chunk/chunker.js'
import {type CutMode, cutModeOf} from '#src/chunk/cut.js'
import {sha256Hex} from '#src/chunk/hash.js'
import {runSync, text} from '../helpers/cli.js'
import {randomBytes} from '../helpers/random.js'
import {cookbookFixture, tempDir} from '../helpers/temp.js'

async function syncFolder(t: Parameters<typeof tempDir>[0]): Promise<string> {
  const dir = await tempDir(t)
  const init = await runSync(['init', dir, '--device', 'test'])
  t.is(init.exitCode, 0, text(init.stderr))
  return dir
}

const risotto = path.join(cookbookFixture, 'Risotto.cook')
const absent = sha256Hex(Buffer.from('never stored'))

test('init creates .sync, and refuses to run twice', async (t) => {
  const dir = await syncFolder(t)
  t.deepEqual((await readdir(path.join(dir, '.sync'))).sort(), ['config.json', 'db', 'packs'])
  const again = await runSync(['init', dir])
  t.is(again.exitCode, 5)
  t.regex(text(again.stderr), /already a sync folder/)
  const file = path.join(dir, 'notes.txt')
  await writeFile(file, 'a file\n')
  const onFile = await runSync(['init', file])
  t.is(onFile.exitCode, 7)
  t.is(text(onFile.stderr), `error: ${file}: is not a folder\n`)
  t.is(await readFile(file, 'utf8'), 'a file\n')
})

test('hashify | save rebuilds a recipe byte for byte', async (t) => {
  const dir = await syncFolder(t)
  const hashed = await runSync(['hashify', risotto], {cwd: dir})
  t.is(hashed.exitCode, 0)
  const ids = text(hashed.stdout).trim().split('\n')
  t.is(ids.length, (await readFile(risotto, 'utf8')).split('\n').length - 1)
  t.true(ids.every((id) => /^[0-9a-f]{64}$/.test(id)))
  const saved = await runSync(['save', 'copy.cook'], {cwd: dir, input: text(hashed.stdout)})
  t.is(saved.exitCode, 0, text(saved.stderr))
  t.true((await readFile(path.join(dir, 'copy.cook'))).equals(await readFile(risotto)))
})

test('hashify --json gives path, kind, size and ids per file', async (t) => {
  const dir = await syncFolder(t)
  const photo = path.join(cookbookFixture, 'Breakfast', 'Easy Pancakes.jpg')
  const result = await runSync(['hashify', '--json', risotto, photo], {cwd: dir})
  t.is(result.exitCode, 0)
  const {files} = JSON.parse(text(result.stdout))
  t.is(files.length, 2)
  t.like(files[0], {path: risotto, kind: 'text', size: 1535})
  t.like(files[1], {path: photo, kind: 'binary', size: 970389})
  t.is(files[1].ids.length, files[1].chunks)
})

test('save with ids as arguments; a missing id writes nothing and exits 3', async (t) => {
  const dir = await syncFolder(t)
  const line = (await runSync(['save-chunk', '-'], {cwd: dir, input: 'one line\n'})).stdout
  const id = text(line).trim()
  const ok = await runSync(['save', 'one.txt', id], {cwd: dir})
  t.is(ok.exitCode, 0)
  t.is(await readFile(path.join(dir, 'one.txt'), 'utf8'), 'one line\n')
  const missing = await runSync(['save', 'two.txt', id, absent], {cwd: dir})
  t.is(missing.exitCode, 3)
  t.regex(text(missing.stderr), new RegExp(absent))
  t.false((await readdir(dir)).includes('two.txt'))
})

test('save keeps ids in the order given, repeats included (a blank line twice)', async (t) => {
  const dir = await syncFolder(t)
  const ids = await Promise.all(['a\n', '\n', 'b\n'].map(async (line) => text((await runSync(['save-chunk'], {cwd: dir, input: line})).stdout).trim()))
  const [a, blank, b] = ids
  const saved = await runSync(['save', 'out.txt', a, blank, b, blank, a], {cwd: dir})
  t.is(saved.exitCode, 0, text(saved.stderr))
  t.is(await readFile(path.join(dir, 'out.txt'), 'utf8'), 'a\n\nb\n\na\n')
})

test('read-chunk writes the exact bytes; save-chunk takes a file or stdin', async (t) => {
  const dir = await syncFolder(t)
  const bytes = Buffer.from([0x00, 0xff, 0x0a, 0x0d, 0x41])
  await writeFile(path.join(dir, 'raw.bin'), bytes)
  const stored = await runSync(['save-chunk', 'raw.bin'], {cwd: dir})
  t.is(text(stored.stdout).trim(), sha256Hex(bytes))
  const read = await runSync(['read-chunk', sha256Hex(bytes)], {cwd: dir})
  t.is(read.exitCode, 0)
  t.true(Buffer.from(read.stdout as unknown as Uint8Array).equals(bytes))
  const json = await runSync(['read-chunk', '--json', sha256Hex(bytes)], {cwd: dir})
  t.true(Buffer.from(JSON.parse(text(json.stdout)).base64, 'base64').equals(bytes))
})

/** The ids of `bytes` cut in `mode`, in order, as the streaming chunker gives them. */
function idsOf(mode: CutMode, bytes: Buffer): string[] {
  const chunker = new Chunker(mode)
  const ids: string[] = []
  chunker.push(bytes, (chunk) => ids.push(sha256Hex(chunk)))
  chunker.end((chunk) => ids.push(sha256Hex(chunk)))
  return ids
}

for (const fastPath of [true, false]) {
  test(`check-chunk: exit 0 when all are stored, else 1 and the missing ids (${fastPath ? 'fast path' : 'oclif'})`, async (t) => {
    const dir = await syncFolder(t)
    const env: Record<string, string> = fastPath ? {} : {SYNC_NO_FAST_PATH: '1'}
    const ids = text((await runSync(['hashify', risotto], {cwd: dir})).stdout)
      .trim()
      .split('\n')
    const all = await runSync(['check-chunk', ...ids.slice(0, 3)], {cwd: dir, env})
    t.is(all.exitCode, 0)
    t.is(text(all.stdout), '')
    const some = await runSync(['check-chunk', ids[0], absent], {cwd: dir, env})
    t.is(some.exitCode, 1)
    t.is(text(some.stdout), `${absent}\n`)
    const stdin = await runSync(['check-chunk'], {cwd: dir, env, input: `${ids.join('\n')}\n${absent}\n`})
    t.is(stdin.exitCode, 1)
    t.is(text(stdin.stdout), `${absent}\n`)
    const bad = await runSync(['check-chunk', 'xyz'], {cwd: dir, env})
    t.is(bad.exitCode, 2)
    t.regex(text(bad.stderr), /malformed chunk id 'xyz'/)
  })
}

for (const fastPath of [true, false]) {
  test(`hashify: a file big enough for the hashing thread prints its ids; errors are one line and exit 7 (${fastPath ? 'fast path' : 'oclif'})`, async (t) => {
    const dir = await syncFolder(t)
    const env: Record<string, string> = fastPath ? {} : {SYNC_NO_FAST_PATH: '1'}
    // Lines from 1 to 80 bytes, 9 MB: over the 8 MiB from which the hashing thread takes a file.
    const lines = Array.from({length: 230_000}, (_, i) => `${'step '.repeat(i % 16)}${i}\n`)
    const bigText = Buffer.from(lines.join(''))
    await writeFile(path.join(dir, 'big.txt'), bigText)
    const photo = randomBytes(9_000_000, 4)
    await writeFile(path.join(dir, 'big.jpg'), photo)
    const printed = await runSync(['hashify', 'big.txt', 'big.jpg'], {cwd: dir, env})
    t.is(printed.exitCode, 0, text(printed.stderr))
    // A text file of 8 MiB or more is cut into runs of lines (docs/storage.md).
    t.is(cutModeOf('text', bigText.length), 'text-runs')
    const expected = [...idsOf(cutModeOf('text', bigText.length), bigText), ...idsOf('binary', photo)]
    const ids = text(printed.stdout).split('\n')
    t.is(ids.pop(), '', 'one id a line')
    t.is(ids.length, expected.length)
    t.true(
      ids.every((id, i) => id === expected[i]),
      'the ids of the chunks, in order',
    )
    const missing = await runSync(['hashify', 'big.jpg', 'nope.cook'], {cwd: dir, env})
    t.is(missing.exitCode, 7)
    t.regex(text(missing.stderr), /^error: .*nope\.cook.*\n$/)
  })
}

test('-C runs in another folder; outside any sync folder is exit 5', async (t) => {
  const dir = await syncFolder(t)
  const elsewhere = await tempDir(t)
  const sub = path.join(dir, 'deep', 'er')
  await mkdir(sub, {recursive: true})
  t.is((await runSync(['save-chunk', '-C', sub], {cwd: elsewhere, input: 'x'})).exitCode, 0)
  const outside = await runSync(['check-chunk', absent], {cwd: elsewhere})
  t.is(outside.exitCode, 5)
  t.regex(text(outside.stderr), /not a sync folder/)
  // A file big enough to be hashed ahead while the store opens: the work started is stopped, the command exits.
  await writeFile(path.join(elsewhere, 'big.txt'), 'a line of a big file\n'.repeat(450_000))
  const big = await runSync(['hashify', 'big.txt'], {cwd: elsewhere})
  t.is(big.exitCode, 5)
  t.regex(text(big.stderr), /not a sync folder/)
})

test('bad files give one-line errors and exit 7, and change nothing', async (t) => {
  const dir = await syncFolder(t)
  for (const args of [
    ['hashify', 'nope.cook'],
    ['hashify', '.sync'],
    ['save-chunk', 'nope'],
    ['save-chunk', '.sync'],
  ]) {
    const result = await runSync(args, {cwd: dir})
    t.is(result.exitCode, 7, args.join(' '))
    t.is(text(result.stderr).trim().split('\n').length, 1)
    t.notRegex(text(result.stderr), /\bat \w/)
  }
  t.deepEqual(await readdir(path.join(dir, '.sync', 'packs')), [])
})

test('save never replaces a pipe or a folder with a file (exit 7, nothing changed); a link is replaced, not written through', async (t) => {
  const dir = await syncFolder(t)
  const fifo = path.join(dir, 'pipe')
  await execa('mkfifo', [fifo])
  await mkdir(path.join(dir, 'folder'))
  for (const [name, message] of [
    ['pipe', 'error: pipe: is not a regular file\n'],
    ['folder', 'error: folder: is a directory, not a file\n'],
  ]) {
    const refused = await runSync(['save', name], {cwd: dir})
    t.is(refused.exitCode, 7, name)
    t.is(text(refused.stderr), message)
  }
  t.true((await lstat(fifo)).isFIFO(), 'the pipe is still a pipe')
  t.true((await lstat(path.join(dir, 'folder'))).isDirectory())
  t.deepEqual((await readdir(dir)).sort(), ['.sync', 'folder', 'pipe'], 'no temp file left')

  const outside = path.join(await tempDir(t), 'outside.txt')
  await writeFile(outside, 'outside\n')
  await symlink(outside, path.join(dir, 'link'))
  const hashed = await runSync(['hashify', risotto], {cwd: dir})
  const saved = await runSync(['save', 'link'], {cwd: dir, input: text(hashed.stdout)})
  t.is(saved.exitCode, 0, text(saved.stderr))
  t.is(await readFile(outside, 'utf8'), 'outside\n', 'nothing written through the link')
  t.is(await readFile(path.join(dir, 'link'), 'utf8'), await readFile(risotto, 'utf8'))
})

test('fsck reports a clean store, and exit 6 with the chunk named after damage', async (t) => {
  const dir = await syncFolder(t)
  const photo = path.join(cookbookFixture, 'Breakfast', 'Chocolate Toast Delight.2.jpg')
  await runSync(['hashify', photo], {cwd: dir})
  const clean = await runSync(['fsck', '--json'], {cwd: dir})
  t.is(clean.exitCode, 0)
  t.like(JSON.parse(text(clean.stdout)), {damaged: []})
  const [pack] = await readdir(path.join(dir, '.sync', 'packs'))
  const file = path.join(dir, '.sync', 'packs', pack)
  const bytes = await readFile(file)
  bytes[Math.floor(bytes.length / 2)] ^= 0x10
  await writeFile(file, bytes)
  const damaged = await runSync(['fsck'], {cwd: dir})
  t.is(damaged.exitCode, 6)
  t.regex(text(damaged.stdout), /damaged [0-9a-f]{64} in pack/)
  const id = text(damaged.stdout).match(/damaged ([0-9a-f]{64})/)![1]
  const read = await runSync(['read-chunk', id], {cwd: dir})
  t.is(read.exitCode, 6)
  t.is(read.stdout?.length, 0)
})

test('every command has --help with examples', async (t) => {
  for (const command of ['init', 'hashify', 'save', 'read-chunk', 'save-chunk', 'check-chunk', 'fsck', 'gc']) {
    const help = await runSync([command, '--help'])
    t.is(help.exitCode, 0, command)
    t.regex(text(help.stdout), /EXAMPLES/, command)
    t.regex(text(help.stdout), /--json/, command)
  }
})

test('hashify prints the ids of a file of several batches in order, as --json lists them', async (t) => {
  const dir = await syncFolder(t)
  const lines = Array.from({length: 300_000}, (_, i) => `step ${i % 200_000}\r\n`)
  await writeFile(path.join(dir, 'long.txt'), lines.join(''))
  const printed = await runSync(['hashify', 'long.txt'], {cwd: dir})
  t.is(printed.exitCode, 0, text(printed.stderr))
  const expected = lines.map((line) => sha256Hex(Buffer.from(line)))
  t.is(text(printed.stdout), `${expected.join('\n')}\n`)
  const json = await runSync(['hashify', '--json', 'long.txt'], {cwd: dir})
  t.deepEqual(JSON.parse(text(json.stdout)).files[0].ids, expected)
})
