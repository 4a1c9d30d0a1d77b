/** Stored formats through the CLI: a folder whose state a newer sync wrote is refused with exit 17, and changes nothing. */
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {openEnv} from '#src/db/open-env.js'
import {runSync, text} from '../helpers/cli.js'
import {cliNamespace} from '../helpers/cli-namespace.js'

test('a folder whose sync state is of a newer format: once exits 17 with one line, and touches nothing', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a')
  await writeFile(path.join(a, 'Soup.cook'), 'Soup\n')
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  const env = openEnv(path.join(a, '.sync', 'db'))
  const meta = env.openDB<unknown, string>({name: 'state-meta'})
  t.is(meta.get('format'), 1)
  await env.transaction(() => meta.putSync('format', 3))
  await env.close()
  await writeFile(path.join(a, 'Soup.cook'), 'Soup, edited\n')
  const once = await runSync(['once'], {cwd: a})
  t.is(once.exitCode, 17)
  t.regex(
    text(once.stderr),
    /^error: the sync state in .*\.sync\/db was written by a newer version of sync \(format 3; this one reads up to 2\): update sync, then run again\n$/,
  )
  t.is(await readFile(path.join(a, 'Soup.cook'), 'utf8'), 'Soup, edited\n')
})
