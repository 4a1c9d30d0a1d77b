/**
 * A device whose own disk is full, for real (the folder on a small tmpfs): `sync once` says so in one line and
 * exits 16, nothing is lost, and once there is room the next run sends the file.
 */
import {readFile, rm, writeFile} from 'node:fs/promises'
import {randomBytes} from 'node:crypto'
import path from 'node:path'
import {runSync, text} from '../helpers/cli.js'
import {cliNamespace} from '../helpers/cli-namespace.js'
import {fill, smallDisk, withSmallDisk} from '../helpers/small-disk.js'

withSmallDisk('a full disk here: once exits 16 with one clear line, keeps the file, and sends it once there is room', async (t) => {
  const {work, device} = await cliNamespace(t)
  await smallDisk(t, path.join(work, 'a'))
  const a = await device('a')
  const b = await device('b')
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  const recipe = `Soup\n${randomBytes(200_000).toString('base64')}\n`
  await writeFile(path.join(a, 'Soup.cook'), recipe)
  // The filler goes in .sync/, which is never synced: only the disk is full, the folder has just the recipe.
  const filler = path.join(a, '.sync', 'filler')
  await fill(filler)
  const full = await runSync(['once'], {cwd: a})
  t.is(full.exitCode, 16)
  t.regex(text(full.stderr), /^error: no space left on this device: free some and run again \(.*ENOSPC.*\)\n$/)
  t.is(await readFile(path.join(a, 'Soup.cook'), 'utf8'), recipe)

  await rm(filler)
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  t.is((await runSync(['once'], {cwd: b})).exitCode, 0)
  t.is(await readFile(path.join(b, 'Soup.cook'), 'utf8'), recipe)
})
