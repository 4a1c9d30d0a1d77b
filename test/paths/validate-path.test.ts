import test from 'ava'
import {fc} from '../helpers/fast-check-seed.js'
import {checkPath, validatePath} from '#src/paths/validate-path.js'
import {checkNamespace} from '#src/paths/validate-namespace.js'

const refused: [string, RegExp][] = [
  ['', /empty/],
  ['../x', /'\.\.' segment/],
  ['a/../../b', /'\.\.' segment/],
  ['a/..', /'\.\.' segment/],
  ['./a', /'\.' segment/],
  ['a/./b', /'\.' segment/],
  ['/etc/passwd', /absolute/],
  ['C:\\x', /backslash/],
  ['C:x', /drive letter/],
  ['z:/x', /drive letter/],
  ['a\\b', /backslash/],
  ['a\u0000b', /NUL/],
  ['a\nb', /control character/],
  ['tab\there', /control character/],
  ['a//b', /empty segment/],
  ['a/', /empty segment/],
  ['.sync', /\.sync/],
  ['.sync/config.json', /\.sync/],
  ['.SYNC/db/data.mdb', /\.sync/],
  ['.Sync', /\.sync/],
  ['a/.sync', /a name in it is '\.sync'/],
  ['notes/.sync/config.json', /a name in it is '\.sync'/],
  ['notes/deep/.SYNC/token', /a name in it is '\.sync'/],
  ['notes/..sync.sync-0badc0de.tmp/reset-staged', /sync's temp names/],
  ['.Risotto.cook.sync-12345678.tmp', /sync's temp names/],
  [`${'x'.repeat(200)}/`.repeat(5) + 'x'.repeat(20), /over 1024 bytes/],
  [`${'é'.repeat(100)}/`.repeat(5) + 'é'.repeat(10), /over 1024 bytes/],
  ['x'.repeat(256), /a name in it is over 255 bytes/],
  ['a/' + 'é'.repeat(128) + '/b', /a name in it is over 255 bytes/],
  ['日'.repeat(100), /a name in it is over 255 bytes/],
  ['bad\uD800surrogate', /not valid Unicode/],
]

for (const [path, reason] of refused) {
  test(`refuses ${JSON.stringify(path.length > 40 ? `${path.slice(0, 20)}...(${path.length})` : path)}`, (t) => {
    t.regex(validatePath(path) ?? '', reason)
    const error = t.throws(() => checkPath(path))
    t.is((error as {code?: string}).code, 'E_INVALID_PATH')
    // The message is one line whatever the path holds.
    t.false(error!.message.includes('\n'))
  })
}

const allowed = [
  'Risotto.cook',
  'Breakfast/Easy Pancakes.jpg',
  'a/b/c/d.txt',
  '.config/x',
  '.syncthing',
  'a/.sync.md',
  'a/x.sync',
  'x'.repeat(255),
  'é'.repeat(127),
  `${'x'.repeat(200)}/`.repeat(5) + 'x'.repeat(19),
  '日本語/レシピ.cook',
  'emoji 😀.md',
  'ab:c',
  'a/b:c',
  '..a',
  'a..',
  '...',
]

for (const path of allowed) {
  test(`allows ${JSON.stringify(path.length > 40 ? `${path.slice(0, 20)}...(${path.length})` : path)}`, (t) => {
    t.is(validatePath(path), undefined)
    t.is(checkPath(path), path)
  })
}

test('any string is either allowed or refused with a reason, never an exception of another kind', (t) => {
  fc.assert(
    fc.property(fc.string({unit: 'binary', maxLength: 64}), (path) => {
      const reason = validatePath(path)
      if (reason === undefined) return checkPath(path) === path && !path.split('/').includes('..') && !path.startsWith('/')
      try {
        checkPath(path)
        return false
      } catch (error) {
        return (error as {code?: string}).code === 'E_INVALID_PATH'
      }
    }),
    {seed: 42, numRuns: 2000},
  )
  t.pass()
})

test('namespace names: letters, digits, . _ -, 1-64, not starting with a symbol', (t) => {
  for (const name of ['home', 'Recipes-2', 'a.b_c', 'x'.repeat(64), '0']) t.is(checkNamespace(name), name)
  for (const name of ['', '.hidden', '-x', 'a/b', '..', 'x'.repeat(65), 'a b', 'ü']) {
    t.is((t.throws(() => checkNamespace(name)) as {code?: string}).code, 'E_INVALID_INPUT', name)
  }
})
