/**
 * `sync show` as users run it: versions printed byte for byte (text and binary, to a pipe and to a file), their
 * metadata as JSON, the refusals log and restore share, and a read that neither needs nor disturbs a running daemon.
 */
import {randomBytes} from 'node:crypto'
import {lstat, readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {DAY_MS} from '#server/gc/plan-retention.js'
import {runGc} from '#server/gc/run-gc.js'
import {logJids, runSync, text} from '../helpers/cli.js'
import {cliNamespace} from '../helpers/cli-namespace.js'
import {startCliDaemon} from '../helpers/cli-daemon.js'
import {startTestServer} from '../helpers/server.js'
import {tempDir} from '../helpers/temp.js'

test('show prints the newest version and any older one byte for byte, binary too, to a pipe, a file or JSON', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a')
  const first = 'first line\r\nno newline at the end'
  const photo = randomBytes(300_000)
  photo[10] = 0
  await writeFile(path.join(a, 'notes.txt'), first)
  await writeFile(path.join(a, 'photo.jpg'), photo)
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  await writeFile(path.join(a, 'notes.txt'), 'second\n')
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  const [newest, older] = await logJids(a, 'notes.txt')

  // A device that has not synced yet has none of the chunks: they come from the server.
  const b = await device('b')
  const shown = await runSync(['show', 'notes.txt'], {cwd: b})
  t.is(shown.exitCode, 0, text(shown.stderr))
  t.is(text(shown.stdout), 'second\n')
  t.is(text((await runSync(['show', 'notes.txt', '--jid', String(older)], {cwd: b})).stdout), first)
  t.deepEqual(Buffer.from((await runSync(['show', 'photo.jpg'], {cwd: a})).stdout as unknown as Uint8Array), photo)

  const out = path.join(await tempDir(t), 'photo-copy.jpg')
  const toFile = await runSync(['show', 'photo.jpg', '--output', out, '--json'], {cwd: b})
  t.is(toFile.exitCode, 0, text(toFile.stderr))
  t.deepEqual(await readFile(out), photo)
  t.like(JSON.parse(text(toFile.stdout)), {path: 'photo.jpg', size: photo.length, kind: 'file', mode: '100644', output: out, device: 'a'})
  // A pipe at --output is refused, not replaced by a file (as /dev/null would be, run as root).
  const pipe = path.join(path.dirname(out), 'pipe')
  await execa('mkfifo', [pipe])
  const refused = await runSync(['show', 'photo.jpg', '--output', pipe], {cwd: b})
  t.is(refused.exitCode, 7)
  t.is(text(refused.stderr), `error: ${pipe}: is not a regular file\n`)
  t.true((await lstat(pipe)).isFIFO())

  const json = JSON.parse(text((await runSync(['show', 'notes.txt', '--jid', String(older), '--json'], {cwd: b})).stdout))
  t.like(json, {path: 'notes.txt', jid: older, size: Buffer.byteLength(first), kind: 'file', mode: '100644', device: 'a'})
  t.regex(json.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  t.is(Buffer.from(json.base64, 'base64').toString(), first)
  t.true(newest > older)
  t.deepEqual(await logJids(b, 'notes.txt'), [newest, older], 'b read the journal and wrote nothing to it')
})

test('show refuses by name, with log and restore exit codes: no history, another path, no such JID, a deletion', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a')
  await writeFile(path.join(a, 'one.cook'), 'one\n')
  await writeFile(path.join(a, 'two.cook'), 'two\n')
  await runSync(['once'], {cwd: a})
  const [two] = await logJids(a, 'two.cook')
  await rm(path.join(a, 'one.cook'))
  await runSync(['once'], {cwd: a})
  const [deletion] = await logJids(a, 'one.cook')
  const cases: [string[], number, RegExp][] = [
    [['show', 'never.cook'], 1, /^error: never\.cook has no history on the server/],
    [['show', 'one.cook', '--jid', String(two)], 2, /^error: version \d+ is of two\.cook, not one\.cook; see 'sync log one\.cook'/],
    [['show', 'one.cook', '--jid', '99999'], 1, /^error: there is no version 99999 in this namespace/],
    [['show', 'one.cook'], 2, new RegExp(`^error: version ${deletion} of one\\.cook is a deletion`)],
  ]
  for (const [args, exitCode, message] of cases) {
    const result = await runSync(args, {cwd: a})
    t.is(result.exitCode, exitCode, args.join(' '))
    t.regex(text(result.stderr), message)
    t.is(text(result.stdout), '', 'nothing printed')
  }
  const json = await runSync(['show', 'never.cook', '--json'], {cwd: a})
  t.is(json.exitCode, 1)
  t.like(JSON.parse(text(json.stdout)), {error: {code: 'E_NOT_FOUND'}})
})

test('show works while a daemon holds the folder, and refuses a pruned version', async (t) => {
  const server = await startTestServer(t)
  const root = path.join(await tempDir(t), 'a')
  const init = await runSync(['init', root, '--server', server.url, '--namespace', 'recipes', '--token', await server.token(), '--device', 'a'])
  t.is(init.exitCode, 0, text(init.stderr))
  for (const version of ['soup, first\n', 'soup, second\n']) {
    await writeFile(path.join(root, 'soup.cook'), version)
    t.is((await runSync(['once'], {cwd: root})).exitCode, 0)
  }
  const [, old] = await logJids(root, 'soup.cook')
  const daemon = await startCliDaemon(t, root)
  t.is(text((await runSync(['show', 'soup.cook', '--jid', String(old)], {cwd: root})).stdout), 'soup, first\n')
  await runGc(server.storage, {now: Date.now() + 200 * DAY_MS, graceMs: 0})
  const pruned = await runSync(['show', 'soup.cook', '--jid', String(old)], {cwd: root})
  t.is(pruned.exitCode, 1)
  t.regex(text(pruned.stderr), new RegExp(`^error: version ${old} of soup\\.cook was pruned`))
  t.is(text((await runSync(['show', 'soup.cook'], {cwd: root})).stdout), 'soup, second\n', 'the newest is always kept')
  t.notRegex(daemon.output.text, /error/)
})
