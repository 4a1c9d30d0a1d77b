/**
 * `sync diff` as users run it: the working file against the newest version or an older one, two versions, a
 * binary file, --exit-code and --json, the refusals shared with show; its output applies with patch(1).
 */
import {randomBytes} from 'node:crypto'
import {cp, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {logJids, runSync, text} from '../helpers/cli.js'
import {cliNamespace} from '../helpers/cli-namespace.js'
import {tempDir} from '../helpers/temp.js'

test('diff: working file against the newest version, against an older one, and two versions; patch -p1 applies it', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a')
  const file = path.join(a, 'soup.cook')
  await writeFile(file, 'leeks\npotatoes\nsalt\n')
  await runSync(['once'], {cwd: a})
  await writeFile(file, 'leeks\npotatoes\npepper\n')
  await runSync(['once'], {cwd: a})
  const [second, first] = await logJids(a, 'soup.cook')

  const clean = await runSync(['diff', 'soup.cook', '--exit-code'], {cwd: a})
  t.is(clean.exitCode, 0, text(clean.stderr))
  t.is(text(clean.stdout), '', 'the working file is the newest version: nothing to show')

  await writeFile(file, 'leeks\npotatoes\npepper\ncream')
  const working = await runSync(['diff', 'soup.cook'], {cwd: a})
  t.is(working.exitCode, 0, 'differences are not an error without --exit-code')
  t.is(
    text(working.stdout),
    `diff --git a/soup.cook b/soup.cook\n--- a/soup.cook\tjid ${second}\n+++ b/soup.cook\tworking file\n@@ -1,3 +1,4 @@\n leeks\n potatoes\n pepper\n+cream\n\\ No newline at end of file\n`,
  )
  t.is((await runSync(['diff', 'soup.cook', '--exit-code'], {cwd: a})).exitCode, 1)

  const versions = await runSync(['diff', 'soup.cook', '--jid', String(first), '--jid', String(second), '-U', '0'], {cwd: a})
  t.is(
    text(versions.stdout),
    `diff --git a/soup.cook b/soup.cook\n--- a/soup.cook\tjid ${first}\n+++ b/soup.cook\tjid ${second}\n@@ -3,1 +3,1 @@\n-salt\n+pepper\n`,
  )

  // The first version against the working file, applied by patch(1) to a copy of that version, gives the working file.
  const patched = await tempDir(t)
  t.is((await runSync(['show', 'soup.cook', '--jid', String(first), '--output', path.join(patched, 'soup.cook')], {cwd: a})).exitCode, 0)
  await cp(path.join(a, 'soup.cook'), path.join(patched, 'expected.cook'))
  const patch = (await runSync(['diff', 'soup.cook', '--jid', String(first)], {cwd: a})).stdout as unknown as Uint8Array
  const applied = await execa('patch', ['-p1'], {cwd: patched, input: Buffer.from(patch), reject: false})
  t.is(applied.exitCode, 0, applied.stderr)
  t.deepEqual(await readFile(path.join(patched, 'soup.cook')), await readFile(path.join(patched, 'expected.cook')))

  const json = JSON.parse(text((await runSync(['diff', 'soup.cook', '--json'], {cwd: a})).stdout))
  t.like(json, {path: 'soup.cook', from: {label: `jid ${second}`, jid: second, size: 22}, to: {label: 'working file', size: 27}, same: false, binary: false})
  t.deepEqual(json.hunks, [
    {
      oldStart: 1,
      oldLines: 3,
      newStart: 1,
      newLines: 4,
      lines: [
        {type: ' ', text: 'leeks'},
        {type: ' ', text: 'potatoes'},
        {type: ' ', text: 'pepper'},
        {type: '+', text: 'cream', newline: false},
      ],
    },
  ])
})

test('diff: binary files by size; a new file against nothing; refusals as show makes them', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a')
  const photo = randomBytes(100_000)
  await writeFile(path.join(a, 'cake.jpg'), photo)
  await writeFile(path.join(a, 'other.cook'), 'other\n')
  await runSync(['once'], {cwd: a})
  const [jid] = await logJids(a, 'cake.jpg')
  await writeFile(path.join(a, 'cake.jpg'), Buffer.concat([photo, Buffer.from('more')]))
  const binary = await runSync(['diff', 'cake.jpg'], {cwd: a})
  t.is(
    text(binary.stdout),
    `diff --git a/cake.jpg b/cake.jpg\nBinary files a/cake.jpg (jid ${jid}, 100000 bytes) and b/cake.jpg (working file, 100004 bytes) differ\n`,
  )
  t.like(JSON.parse(text((await runSync(['diff', 'cake.jpg', '--json'], {cwd: a})).stdout)), {binary: true, same: false, hunks: []})

  await writeFile(path.join(a, 'new.cook'), 'fresh\n')
  t.is(
    text((await runSync(['diff', 'new.cook'], {cwd: a})).stdout),
    'diff --git a/new.cook b/new.cook\n--- /dev/null\tnot on the server\n+++ b/new.cook\tworking file\n@@ -0,0 +1,1 @@\n+fresh\n',
  )

  const [other] = await logJids(a, 'other.cook')
  const cases: [string[], number, RegExp][] = [
    [['diff', 'never.cook'], 1, /^error: never\.cook has no history on the server/],
    [['diff', 'new.cook', '--jid', String(other)], 2, /^error: version \d+ is of other\.cook, not new\.cook/],
    [['diff', 'other.cook', '--jid', '1', '--jid', '2', '--jid', '3'], 2, /^error: give at most two versions/],
    [['diff', 'other.cook', '--jid', '99999'], 1, /^error: there is no version 99999/],
  ]
  for (const [args, exitCode, message] of cases) {
    const result = await runSync(args, {cwd: a})
    t.is(result.exitCode, exitCode, args.join(' '))
    t.regex(text(result.stderr), message)
    t.is(text(result.stdout), '')
  }
})
