import {mkdir, rm, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {fc} from '../helpers/fast-check-seed.js'
import ignore from 'ignore'
import {DEFAULT_IGNORES, DEVICE_IGNORE, MAX_RULES_BYTES, SYNCIGNORE, ignoredByDefault, loadIgnoreRules} from '#src/scan/ignore-rules.js'
import {FileAccessError} from '#src/errors/index.js'
import {tempDir} from '../helpers/temp.js'

const packageRules = ignore().add(DEFAULT_IGNORES)

// Names built from the pieces the rules look at, so most generated paths sit near a rule's edge.
const pieces = [
  '.sync',
  '.SYNC',
  '.sync-',
  'sync',
  '.tmp',
  '.TMP',
  '.swp',
  '.sWx',
  '.sw',
  '~',
  '.#',
  '#',
  '4913',
  '49130',
  '.',
  'a',
  'Risotto',
  ' ',
  'é',
  '\n',
  '*',
  '[',
  '\\',
  '.DS_Store',
  '.ds_store',
  'Thumbs.db',
  'thumbs',
  '.db',
  'desktop.ini',
  'Desktop.INI',
  'desktop',
]
const nameArb = fc
  .array(fc.constantFrom(...pieces), {minLength: 1, maxLength: 4})
  .map((parts) => parts.join(''))
  .filter((name) => name !== '.' && name !== '..')
const pathArb = fc.tuple(fc.array(nameArb, {minLength: 1, maxLength: 4}), fc.boolean()).map(([names, folder]) => names.join('/') + (folder ? '/' : ''))

test('the default rules as one test per name agree with the ignore package on generated paths', (t) => {
  fc.assert(
    fc.property(pathArb, (relative) => ignoredByDefault(relative) === packageRules.ignores(relative)),
    {numRuns: 20_000},
  )
  t.pass()
})

test('what the defaults leave out, and what they keep', (t) => {
  for (const ignored of [
    '.sync/',
    'a/.sync/',
    '.sync/data.mdb',
    'notes/.Risotto.cook.sync-1a2b3c4d.tmp',
    'x.swp',
    'a/X.SWX',
    'b~',
    'a~/b.cook',
    '.#lock',
    'dir/4913',
    '.DS_Store',
    'photos/Thumbs.db',
    'a/desktop.ini',
  ]) {
    t.true(ignoredByDefault(ignored), ignored)
  }
  for (const kept of ['.sync', 'a/.sync', 'Risotto.cook', '.syncignore', 'a/49130', 'swp', '#x#', '.sync-x.tmp', 'DS_Store', 'Thumbs.db.cook', 'desktop'])
    t.false(ignoredByDefault(kept), kept)
})

test('rules files are read from the folder; one that is a link to a FIFO or a device is no rules file, and nothing waits on it', async (t) => {
  const dir = await tempDir(t)
  await writeFile(path.join(dir, SYNCIGNORE), 'photos/\n')
  await mkdir(path.join(dir, '.sync'))
  await writeFile(path.join(dir, DEVICE_IGNORE), '*.pdf\n')
  const rules = await loadIgnoreRules(dir)
  t.true(rules.ignores('photos/'), 'the shared rules')
  t.true(rules.ignores('menu.pdf'), "this device's own")
  t.false(rules.ignores('Risotto.cook'))

  // A FIFO no one writes to: opening it for reading without O_NONBLOCK would wait for a writer for ever.
  const fifo = path.join(dir, 'fifo')
  await execa('mkfifo', [fifo])
  await rm(path.join(dir, SYNCIGNORE))
  await rm(path.join(dir, DEVICE_IGNORE))
  await symlink(fifo, path.join(dir, DEVICE_IGNORE))
  const none = await loadIgnoreRules(dir)
  t.is(none.source, '')
  t.false(none.ignores('photos/'))
  t.true(none.ignores('.sync/'), 'the defaults still hold')
  await rm(path.join(dir, DEVICE_IGNORE))
  await symlink('/dev/zero', path.join(dir, DEVICE_IGNORE))
  t.is((await loadIgnoreRules(dir)).source, '')
})

test("`.syncignore` is never read through a link, wherever it points: the rules are refused by name; `.sync/ignore`, this device's own, may be one", async (t) => {
  const dir = await tempDir(t)
  const outside = path.join(await tempDir(t, 'sync-outside-'), 'secret')
  await writeFile(outside, 'my bank password\n')
  await writeFile(path.join(dir, 'rules.txt'), 'photos/\n')
  for (const target of [outside, 'rules.txt', 'missing']) {
    await rm(path.join(dir, SYNCIGNORE), {force: true})
    await symlink(target, path.join(dir, SYNCIGNORE))
    const error = await t.throwsAsync(loadIgnoreRules(dir), {instanceOf: FileAccessError}, target)
    t.is(error?.reason, 'rules-link')
    t.is(error?.path, path.join(dir, SYNCIGNORE))
    t.regex(error?.message ?? '', /\.syncignore: is a link, and sync reads ignore rules only from a regular file/)
  }
  await rm(path.join(dir, SYNCIGNORE))
  await mkdir(path.join(dir, '.sync'))
  await symlink(path.join(dir, 'rules.txt'), path.join(dir, DEVICE_IGNORE))
  t.true((await loadIgnoreRules(dir)).ignores('photos/'), "this device's own rules through its link")
})

test('a rules file over 1 MiB is refused by name, not read on every pass; one of 1 MiB is read', async (t) => {
  const dir = await tempDir(t)
  const rule = 'photos/\n'
  const atLimit = rule + '#'.repeat(MAX_RULES_BYTES - rule.length - 1) + '\n'
  await writeFile(path.join(dir, SYNCIGNORE), atLimit)
  t.true((await loadIgnoreRules(dir)).ignores('photos/'))
  await writeFile(path.join(dir, SYNCIGNORE), atLimit + '\n')
  const error = await t.throwsAsync(loadIgnoreRules(dir), {instanceOf: FileAccessError})
  t.is(error?.reason, 'rules-too-large')
  t.is(error?.message, `${path.join(dir, SYNCIGNORE)}: is over 1 MiB, far more than ignore rules need: sync reads no rules from it; make it smaller`)
  await rm(path.join(dir, SYNCIGNORE))
  await mkdir(path.join(dir, '.sync'))
  await writeFile(path.join(dir, DEVICE_IGNORE), atLimit + '\n')
  t.is((await t.throwsAsync(loadIgnoreRules(dir), {instanceOf: FileAccessError}))?.reason, 'rules-too-large', "this device's own too")
})
