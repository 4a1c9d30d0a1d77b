/**
 * A device whose own disk is full, for real (the folder on a small tmpfs; the filler in .sync/, which is never
 * synced). Sending needs no space here: local changes still reach the other devices. What cannot be written
 * here is named ("the disk is full") and arrives once there is room. Nothing is lost or sent twice.
 */
import {readdir, readFile, rename, rm, writeFile} from 'node:fs/promises'
import {randomBytes} from 'node:crypto'
import path from 'node:path'
import {execa} from 'execa'
import {runSync, syncBin, text} from '../helpers/cli.js'
import {cliNamespace} from '../helpers/cli-namespace.js'
import {fill, smallDisk, withSmallDisk} from '../helpers/small-disk.js'
import {waitFor} from '../helpers/wait-for.js'

const recipe = (name: string) => `${name}\n${randomBytes(200_000).toString('base64')}\n`
const contentOf = (file: string) => readFile(file, 'utf8').catch(() => undefined)

withSmallDisk('once on a full disk sends the local change all the same, names what it could not download, and takes it once there is room', async (t) => {
  const {work, device} = await cliNamespace(t)
  await smallDisk(t, path.join(work, 'a'))
  const a = await device('a')
  const b = await device('b')
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  const soup = recipe('Soup')
  await writeFile(path.join(a, 'Soup.cook'), soup)
  await writeFile(path.join(b, 'Pie.cook'), 'Pie\n')
  t.is((await runSync(['once'], {cwd: b})).exitCode, 0)
  const filler = path.join(a, '.sync', 'filler')
  await fill(filler)

  const full = await runSync(['once'], {cwd: a})
  t.regex(text(full.stdout), /^sent Soup\.cook \(jid 2\)$/m)
  t.regex(text(full.stdout), /^cannot sync Pie\.cook: the disk is full$/m)
  // Whether this device could still record what it sent depends on the room its database had left.
  const said = text(full.stderr).trim().split('\n').at(-1)
  if (full.exitCode === 16)
    t.is(said, 'error: no space left on this device: 1 local change was sent, but could not be recorded here; free some space and run again')
  else t.is(full.exitCode, 11, text(full.stderr))
  t.is(await contentOf(path.join(a, 'Soup.cook')), soup)
  t.is((await runSync(['once'], {cwd: b})).exitCode, 0)
  t.is(await contentOf(path.join(b, 'Soup.cook')), soup, 'the other device has it while this disk is still full')

  await rm(filler)
  const roomy = await runSync(['once'], {cwd: a})
  t.is(roomy.exitCode, 0, text(roomy.stderr))
  t.is(await contentOf(path.join(a, 'Pie.cook')), 'Pie\n')
  const last = await runSync(['once', '--json'], {cwd: b})
  t.is(JSON.parse(text(last.stdout)).head, 2, 'Soup.cook was committed once')
})

withSmallDisk('a daemon on a full disk sends a file that appears, says what it cannot write, and writes it once there is room', async (t) => {
  const {work, device} = await cliNamespace(t)
  await smallDisk(t, path.join(work, 'a'))
  const a = await device('a')
  const b = await device('b')
  const daemon = execa('node', [syncBin, 'daemon', '--debounce', '10', '--rescan', '5'], {cwd: a, reject: false})
  t.teardown(() => daemon.kill('SIGKILL'))
  let out = ''
  daemon.stdout!.on('data', (data: Buffer) => (out += data.toString()))
  daemon.stderr!.on('data', (data: Buffer) => (out += data.toString()))
  await waitFor('the daemon', () => out.includes('watching'), 60_000)
  // Written before the disk fills, moved in after: a rename needs no room.
  const stew = recipe('Stew')
  const staged = path.join(a, '.sync', 'Stew.staged')
  await writeFile(staged, stew)
  const filler = path.join(a, '.sync', 'filler')
  await fill(filler)
  await rename(staged, path.join(a, 'Stew.cook'))
  await waitFor(
    'Stew.cook on b',
    async () => (await runSync(['once'], {cwd: b})).exitCode === 0 && (await contentOf(path.join(b, 'Stew.cook'))) === stew,
    60_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; the daemon said:\n${out}`)
  })

  await writeFile(path.join(b, 'Pie.cook'), 'Pie\n')
  t.is((await runSync(['once'], {cwd: b})).exitCode, 0)
  // Either it cannot write the file, or (a few bytes freed meanwhile: a temp file the failed pass removed) it writes
  // it and cannot record it; both are said, and neither loses a byte.
  const said = () =>
    out.includes('cannot sync Pie.cook: the disk is full') ||
    (out.includes('received Pie.cook') && /could not be recorded here|no space left for a database write/.test(out.split('received Pie.cook')[1]))
  await waitFor('the daemon to say what it cannot write', said, 60_000).catch((error: Error) => {
    throw new Error(`${error.message}; the daemon said:\n${out}`)
  })
  t.is(await contentOf(path.join(a, 'Stew.cook')), stew)

  await rm(filler)
  await waitFor('Pie.cook on a once there is room', async () => (await contentOf(path.join(a, 'Pie.cook'))) === 'Pie\n', 60_000).catch((error: Error) => {
    throw new Error(`${error.message}; the daemon said:\n${out}`)
  })
  daemon.kill('SIGTERM')
  await daemon
  const last = await runSync(['once', '--json'], {cwd: b})
  t.is(JSON.parse(text(last.stdout)).head, 2, 'Stew.cook was committed once, Pie.cook once')
})

withSmallDisk('init on a full disk exits 16, says so and leaves nothing; status on a full disk after init reads without writing', async (t) => {
  const {work, server, token} = await cliNamespace(t)
  await smallDisk(t, path.join(work, 'disk'))
  const folder = path.join(work, 'disk', 'a')
  const filler = path.join(work, 'disk', 'filler')
  await fill(filler)
  const init = ['init', folder, '--server', server.url, '--namespace', 'recipes', '--token', token, '--device', 'a']
  const refused = await runSync(init)
  t.is(refused.exitCode, 16, text(refused.stderr))
  t.regex(
    text(refused.stderr),
    new RegExp(
      `^error: no space left for a database write: free some and try again \\(0\\.0 MiB free on the disk of ${folder}; a database write leaves at least 4\\.0 MiB\\)$`,
      'm',
    ),
  )
  t.deepEqual(await readdir(folder), [], 'no .sync/ and no staging folder left')

  await rm(filler)
  t.is((await runSync(init)).exitCode, 0)
  await fill(filler)
  // init made the state's tables: a command that only reads them needs no room, even before the first pass.
  const status = await runSync(['status', '--json'], {cwd: folder})
  t.is(status.exitCode, 0, text(status.stderr))
  t.is(text(status.stderr), '')
})
