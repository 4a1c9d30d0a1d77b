/** What a conflict copy's name says (the file, the device, when), and the name it takes when both are kept. */
import test from 'ava'
import {conflictCopyOrigin, conflictCopyPath, keptCopyPath} from '#src/merge/conflict-name.js'

test('a conflict copy names its file, its device and its time; other names are not copies', (t) => {
  t.deepEqual(conflictCopyOrigin('a/Risotto (conflict my laptop 2026-11-25 143005).cook'), {
    path: 'a/Risotto.cook',
    device: 'my laptop',
    time: Date.UTC(2026, 10, 25, 14, 30, 5),
  })
  t.like(conflictCopyOrigin('Makefile (conflict pc 2026-11-25 143005 2)'), {path: 'Makefile', device: 'pc'})
  t.is(conflictCopyOrigin('Risotto.cook'), undefined)
  t.is(conflictCopyOrigin('Risotto (laptop 2026-11-25 143005).cook'), undefined)
  // Every name conflictCopyPath makes reads back.
  const date = new Date(Date.UTC(2026, 10, 25, 14, 30, 5))
  for (const file of ['notes/Soup.cook', 'Makefile', 'a.b/c.tar.gz']) t.is(conflictCopyOrigin(conflictCopyPath(file, 'kitchen', date, () => false))?.path, file)
})

test('keeping both drops the word "conflict" from the label, numbering when the name is taken', (t) => {
  const copy = 'a/Risotto (conflict laptop 2026-11-25 143005).cook'
  t.is(
    keptCopyPath(copy, () => false),
    'a/Risotto (laptop 2026-11-25 143005).cook',
  )
  const taken = new Set(['a/Risotto (laptop 2026-11-25 143005).cook'])
  t.is(
    keptCopyPath(copy, (c) => taken.has(c)),
    'a/Risotto (laptop 2026-11-25 143005 2).cook',
  )
  t.is(conflictCopyOrigin(keptCopyPath(copy, () => false)), undefined, 'an ordinary file from then on')
})
