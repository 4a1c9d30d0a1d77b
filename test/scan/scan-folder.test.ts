import {chmod, mkdir, rename, rm, symlink, unlink, utimes, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {loadIgnoreRules} from '#src/scan/ignore-rules.js'
import {validatePath} from '#src/paths/validate-path.js'
import {scanFolder} from '#src/scan/scan-folder.js'
import {FolderState} from '#src/state/folder-state.js'
import {openStoreIn} from '../helpers/store.js'
import {copyFixture, tempDir} from '../helpers/temp.js'

async function setup(t: Parameters<typeof tempDir>[0], root?: string) {
  const folder = root ?? (await copyFixture(t))
  const {store, env} = await openStoreIn(t, await tempDir(t))
  const state = FolderState.load(env)
  const scan = async (paths?: string[]) => scanFolder(folder, store, state, {rules: await loadIgnoreRules(folder), paths})
  return {folder, store, state, scan}
}

test('a first scan hashes every file; a second, with nothing changed, reads none', async (t) => {
  const {scan, state} = await setup(t)
  const first = await scan()
  t.is(first.files, 31)
  t.is(first.hashed, 31)
  t.is(first.changed.length, 31)
  // Make the files older than the racy window, as they would be at the next scan in real life.
  for (const [p, record] of state.entries()) state.update(p, {local: {...record.local!, hashedAtMs: record.local!.hashedAtMs + 10_000}})
  const second = await scan()
  t.is(second.hashed, 0)
  t.deepEqual(second.changed, [])
})

test('a file modified in the same tick as its scan is hashed again next time', async (t) => {
  const {folder, scan} = await setup(t)
  await scan()
  // Same size, same mtime as before: only the racy rule can catch this edit.
  const file = path.join(folder, 'Risotto.cook')
  const before = (await import('node:fs')).statSync(file)
  const text = (await import('node:fs')).readFileSync(file, 'utf8')
  await writeFile(file, text.replace('onion', 'ONION'))
  await utimes(file, before.atime, before.mtime)
  const next = await scan()
  t.deepEqual(next.changed, ['Risotto.cook'])
})

test('edits, creations, deletions and renames show as changes of the local tree', async (t) => {
  const {folder, scan, state} = await setup(t)
  await scan()
  await writeFile(path.join(folder, 'Risotto.cook'), 'new text\n')
  await writeFile(path.join(folder, 'New.cook'), '')
  await unlink(path.join(folder, 'Salads', 'Caprese.cook'))
  await rename(path.join(folder, 'Shared'), path.join(folder, 'Common'))
  const result = await scan()
  t.true(result.changed.includes('Risotto.cook'))
  t.true(result.changed.includes('New.cook'))
  t.is(state.get('New.cook')?.local?.manifest.kind, 'file')
  t.is(state.get('New.cook')?.local?.size, 0)
  t.true(result.changed.includes('Salads/Caprese.cook'))
  t.is(state.get('Salads/Caprese.cook')?.local, undefined)
  t.true(result.changed.includes('Shared/Guacamole.cook') && result.changed.includes('Common/Guacamole.cook'))
})

test('.sync, temp files, editor droppings and .syncignore patterns are not synced', async (t) => {
  const root = await tempDir(t)
  await mkdir(path.join(root, '.sync'))
  await writeFile(path.join(root, '.sync', 'x'), 'x')
  for (const name of ['.a.cook.sync-0123abcd.tmp', '.notes.md.swp', 'notes.md~', '.#notes.md', '4913', 'draft.tmp', 'keep.cook']) {
    await writeFile(path.join(root, name), 'x')
  }
  await writeFile(path.join(root, '.syncignore'), '*.tmp\n')
  const {scan, state} = await setup(t, root)
  await scan()
  t.deepEqual([...state.entries()].map(([p]) => p).sort(), ['.syncignore', 'keep.cook'])
})

test('symlinks are recorded as links, never followed', async (t) => {
  const root = await tempDir(t)
  await mkdir(path.join(root, 'real'))
  await writeFile(path.join(root, 'real', 'a.cook'), 'a\n')
  await symlink('real', path.join(root, 'link-to-dir'))
  await symlink('real/a.cook', path.join(root, 'link.cook'))
  const {scan, state} = await setup(t, root)
  await scan()
  t.deepEqual(state.get('link-to-dir')?.local?.manifest, {kind: 'symlink', target: 'real'})
  t.deepEqual(state.get('link.cook')?.local?.manifest, {kind: 'symlink', target: 'real/a.cook'})
  t.is(state.get('link-to-dir/a.cook'), undefined)
})

test('the executable bit is part of the version', async (t) => {
  const root = await tempDir(t)
  await writeFile(path.join(root, 'run.sh'), 'echo hi\n')
  await chmod(path.join(root, 'run.sh'), 0o755)
  const {scan, state} = await setup(t, root)
  await scan()
  t.like(state.get('run.sh')?.local?.manifest, {kind: 'file', exec: true})
})

test('a scan of given paths covers files in them and deletions below them', async (t) => {
  const {folder, scan, state} = await setup(t)
  await scan()
  await rm(path.join(folder, 'Breakfast'), {recursive: true})
  await writeFile(path.join(folder, 'Risotto.cook'), 'changed\n')
  const result = await scan(['Breakfast'])
  t.is(result.changed.filter((p) => p.startsWith('Breakfast/')).length, 8)
  t.false(result.changed.includes('Risotto.cook'))
  t.is(state.get('Breakfast/Easy Pancakes.cook')?.local, undefined)
  const single = await scan(['Risotto.cook'])
  t.deepEqual(single.changed, ['Risotto.cook'])
})

test('a tracked path the path rules now refuse sends nothing: unchanged it stays quiet, changed or deleted it is reported, never sent', async (t) => {
  const root = await tempDir(t)
  await mkdir(path.join(root, 'notes'))
  // A file named `.sync` below the top: earlier versions synced it; the rules now refuse it (a synced folder's own name).
  await writeFile(path.join(root, 'notes', '.sync'), 'old\n')
  await writeFile(path.join(root, 'keep.cook'), 'x')
  const {scan, state, store} = await setup(t, root)
  const scanRefusing = async () => scanFolder(root, store, state, {rules: await loadIgnoreRules(root), unsyncable: validatePath})
  await scan() // As an earlier version did: no path rules, so notes/.sync is recorded.
  t.truthy(state.get('notes/.sync')?.local)
  for (const [p, record] of state.entries()) state.update(p, {local: {...record.local!, hashedAtMs: record.local!.hashedAtMs + 10_000}})

  const unchanged = await scanRefusing()
  t.deepEqual(unchanged.changed, [])
  t.deepEqual(unchanged.unsyncable, [])

  await writeFile(path.join(root, 'notes', '.sync'), 'edited\n')
  const edited = await scanRefusing()
  t.deepEqual(edited.changed, [])
  t.deepEqual(
    edited.unsyncable.map((u) => u.path),
    ['notes/.sync'],
  )

  await unlink(path.join(root, 'notes', '.sync'))
  const deleted = await scanRefusing()
  t.deepEqual(deleted.changed, [], 'no deletion is sent for it')
  t.true(state.get('notes/.sync')?.ignored)
})

test('names that are not UTF-8 are reported as names that cannot sync, a file and a folder alike; a UTF-8 name holding U+FFFD is synced', async (t) => {
  const root = await tempDir(t)
  await writeFile(path.join(root, 'plain.cook'), 'plain\n')
  // Latin-1 bytes, as an old system or a zip archive leaves them: Node lists them with U+FFFD in their place.
  await writeFile(Buffer.from(path.join(root, 'caf\xe9.cook'), 'latin1'), 'latin-1 name\n')
  await mkdir(Buffer.from(path.join(root, 'r\xe9sum\xe9s'), 'latin1'))
  await writeFile(Buffer.concat([Buffer.from(path.join(root, 'r\xe9sum\xe9s'), 'latin1'), Buffer.from('/inside.cook')]), 'inside\n')
  await writeFile(path.join(root, 'odd \uFFFD.cook'), 'a real U+FFFD\n')
  const {scan, state} = await setup(t, root)
  const result = await scan()
  t.deepEqual(
    result.unsyncable.sort((a, b) => a.path.localeCompare(b.path)),
    [
      {path: 'caf\uFFFD.cook', reason: 'its name is not UTF-8: rename it to sync it'},
      {path: 'r\uFFFDsum\uFFFDs', reason: 'its name is not UTF-8: rename it to sync it'},
    ],
  )
  t.deepEqual([...state.entries()].map(([p]) => p).sort(), ['odd \uFFFD.cook', 'plain.cook'])
  // A watcher names the file as Node lists it: a scan of that path reports it again.
  t.deepEqual(
    (await scan(['caf\uFFFD.cook'])).unsyncable.map((u) => u.path),
    ['caf\uFFFD.cook'],
  )
})
