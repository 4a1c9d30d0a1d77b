import test from 'ava'
import {detectKind, kindByName, sniffKind} from '#src/chunk/file-kind.js'

test('recipes, menus, config and notes are text by extension', (t) => {
  for (const name of ['Risotto.cook', 'Weekly Plan.menu', 'aisle.conf', 'README.md', 'a/b/shopping.yml', 'x.JSON', 'cost.md.jinja']) {
    t.is(kindByName(name), 'text', name)
  }
})

test('photos are binary by extension, whatever their bytes', (t) => {
  t.is(detectKind('Easy Pancakes.jpg', Buffer.from('plain text')), 'binary')
})

test('unknown extensions are sniffed: a NUL byte means binary', (t) => {
  t.is(detectKind('Makefile', Buffer.from('all:\n\techo hi\n')), 'text')
  t.is(detectKind('blob.dat', Buffer.from([1, 2, 0, 3])), 'binary')
  t.is(sniffKind(Buffer.alloc(0)), 'text')
})

test('the extension lists are configurable', (t) => {
  t.is(kindByName('notes.cook', {textExtensions: [], binaryExtensions: ['.cook']}), 'binary')
  t.is(kindByName('data.bin', {textExtensions: ['.bin'], binaryExtensions: []}), 'text')
})
