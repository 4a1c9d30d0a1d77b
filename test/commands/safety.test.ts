/**
 * The safety boundaries as users meet them on the command line: `sync` as a subprocess against a real server on a loopback port, real
 * folders, links pointing outside, a read-only token.
 */
import {mkdir, readdir, readFile, readlink, rename, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {runSync, syncBin, text} from '../helpers/cli.js'
import {waitFor} from '../helpers/wait-for.js'
import {cliNamespace} from '../helpers/cli-namespace.js'

const setup = cliNamespace

test('a link out of the folder is never written through: the folder the namespace has at its name comes in beside it, the link kept under a conflict name', async (t) => {
  const {work, device} = await setup(t)
  const a = await device('a')
  const b = await device('b')
  const outside = path.join(work, 'private')
  await mkdir(outside)
  await writeFile(path.join(outside, 'secret.txt'), 'not for syncing\n')
  await mkdir(path.join(a, 'docs'))
  await writeFile(path.join(a, 'docs', 'notes.txt'), 'shared notes\n')
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  // B's user links a private folder in at the same name.
  await symlink(outside, path.join(b, 'docs'))
  const once = await runSync(['once'], {cwd: b})
  t.is(once.exitCode, 0, text(once.stderr))
  t.regex(text(once.stdout), /conflict on docs: your version kept as docs \(conflict b \d{4}-\d{2}-\d{2} \d{6}\)/)
  t.deepEqual(await readdir(outside), ['secret.txt'])
  t.is(await readFile(path.join(b, 'docs', 'notes.txt'), 'utf8'), 'shared notes\n')
  const kept = (await readdir(b)).find((name) => name.startsWith('docs (conflict'))!
  t.is(await readlink(path.join(b, kept)), outside)
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  t.is(await readlink(path.join(a, kept)), outside, 'the link itself syncs, as a link')
  t.deepEqual(await readdir(outside), ['secret.txt'])
})

test("a name the protocol refuses: the daemon says so once, status lists it under 'cannot sync', the rest syncs", async (t) => {
  const {device} = await setup(t)
  const a = await device('a')
  await writeFile(path.join(a, 'bell\u0007.cook'), 'x\n')
  const daemon = execa('node', [syncBin, 'daemon', '--debounce', '10'], {cwd: a, reject: false})
  t.teardown(() => daemon.kill('SIGKILL'))
  let out = ''
  daemon.stdout!.on('data', (data: Buffer) => (out += data.toString()))
  await waitFor('the report', () => out.includes('cannot sync'), 60_000)
  for (const name of ['one.cook', 'two.cook']) {
    await writeFile(path.join(a, name), `${name}\n`)
    await waitFor(`${name} sent`, () => out.includes(`sent ${name}`), 60_000)
  }
  daemon.kill('SIGTERM')
  await daemon
  t.is(out.split('cannot sync').length - 1, 1, out)
  // Printed quoted, the bell as an escape: a name never reaches the terminal raw.
  t.true(out.includes('cannot sync "bell\\u0007.cook": it contains a control character'), out)
  t.false(out.includes('\u0007'))
  const status = await runSync(['status'], {cwd: a})
  t.is(status.exitCode, 0, text(status.stderr))
  t.true(text(status.stdout).includes('cannot sync: 1\n  "bell\\u0007.cook" (not sent: it contains a control character)'), text(status.stdout))
  t.regex(text(status.stdout), /to send: 0\n/, 'listed as what it is, not as waiting to be sent')
  const json = JSON.parse(text((await runSync(['status', '--json'], {cwd: a})).stdout))
  t.deepEqual(json.blocked, [{path: 'bell\u0007.cook', reason: 'it contains a control character', side: 'here'}])
})

test('a name that is not UTF-8: once says it cannot sync it and syncs the rest (exit 11), status lists it only under cannot sync; renamed, it syncs', async (t) => {
  const {device} = await setup(t)
  const a = await device('a')
  const b = await device('b')
  await writeFile(path.join(a, 'plain.cook'), 'plain\n')
  // Latin-1 bytes, as an old system or a zip archive leaves them.
  const latin1 = Buffer.from(path.join(a, 'caf\xe9.cook'), 'latin1')
  await writeFile(latin1, 'latin-1 name\n')
  const once = await runSync(['once'], {cwd: a})
  t.is(once.exitCode, 11, text(once.stderr))
  t.regex(text(once.stdout), /cannot sync caf\uFFFD\.cook: its name is not UTF-8: rename it to sync it/)
  const status = text((await runSync(['status'], {cwd: a})).stdout)
  t.regex(status, /to send: 0\n/)
  t.regex(status, /cannot sync: 1\n {2}caf\uFFFD\.cook \(not sent: its name is not UTF-8: rename it to sync it\)/)
  t.is((await runSync(['once'], {cwd: b})).exitCode, 0)
  t.deepEqual(
    (await readdir(b)).filter((name) => name !== '.sync'),
    ['plain.cook'],
  )

  await rename(latin1, path.join(a, 'café.cook'))
  const renamed = await runSync(['once'], {cwd: a})
  t.is(renamed.exitCode, 0, text(renamed.stdout))
  t.regex(text(renamed.stdout), /sent café\.cook/)
  t.is((await runSync(['once'], {cwd: b})).exitCode, 0)
  t.is(await readFile(path.join(b, 'café.cook'), 'utf8'), 'latin-1 name\n')
})

test('a read-only device: once keeps its edits here and exits 0 saying so; status lists them as kept here', async (t) => {
  const {newToken: token, device} = await setup(t)
  const writer = await device('writer', {cookbook: true})
  t.is((await runSync(['once'], {cwd: writer})).exitCode, 0)
  const kitchen = await device('kitchen', {token: await token({readOnly: true})})
  t.is((await runSync(['once'], {cwd: kitchen})).exitCode, 0)
  await writeFile(path.join(kitchen, 'Risotto.cook'), 'kitchen notes\n')
  for (let run = 0; run < 2; run++) {
    const once = await runSync(['once'], {cwd: kitchen})
    t.is(once.exitCode, 0, text(once.stderr))
    t.regex(text(once.stdout), /1 local changes kept here \(the token is read-only\)/)
  }
  const status = await runSync(['status'], {cwd: kitchen})
  t.regex(text(status.stdout), /kept here, read-only \(the token cannot write; not sent\): 1\n {2}modified Risotto\.cook/)
  t.is(await readFile(path.join(kitchen, 'Risotto.cook'), 'utf8'), 'kitchen notes\n')
  t.not(await readFile(path.join(writer, 'Risotto.cook'), 'utf8'), 'kitchen notes\n')
})
