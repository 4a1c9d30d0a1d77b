import {readFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {cookbookFixture, repoRoot, tempDir} from './helpers/temp.js'

// Another program's view: the package imported by its name (package.json "exports", the built dist).
test('the library is importable as `sync`: init a folder, hashify a recipe into its store, save it back', async (t) => {
  const dir = await tempDir(t)
  const copy = path.join(dir, 'copy.cook')
  const script = `
    const {initFolder, SyncFolder, hashifyFile, saveFile, Syncer, JournalClient, mergeIds, SyncError} = await import('sync')
    for (const part of [Syncer, JournalClient, mergeIds, SyncError]) if (typeof part !== 'function') throw new Error('missing export')
    await initFolder(process.argv[1], {device: 'lib'})
    const folder = await SyncFolder.open(process.argv[1])
    const hashed = await hashifyFile(folder.store, process.argv[2])
    await saveFile(folder.store, process.argv[3], hashed.ids)
    await folder.close()
    console.log(hashed.kind, hashed.ids.length)`
  const result = await execa('node', ['--input-type=module', '-e', script, dir, path.join(cookbookFixture, 'Risotto.cook'), copy], {
    cwd: repoRoot,
    reject: false,
  })
  t.is(result.exitCode, 0, result.stderr)
  t.regex(result.stdout, /^text \d+$/)
  t.true((await readFile(copy)).equals(await readFile(path.join(cookbookFixture, 'Risotto.cook'))))
})
