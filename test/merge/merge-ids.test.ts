import test from 'ava'
import {mergeIds} from '#src/merge/merge-ids.js'
import {conflictCopyPath, isConflictCopy} from '#src/merge/conflict-name.js'
import {textManifest} from '../helpers/manifests.js'

const ids = (text: string) => textManifest(text).ids

test('edits to different lines merge, keeping both', (t) => {
  const base = ids('one\ntwo\nthree\nfour\nfive\n')
  const local = ids('ONE\ntwo\nthree\nfour\nfive\n')
  const remote = ids('one\ntwo\nthree\nfour\nFIVE\nsix\n')
  const result = mergeIds(base, local, remote)
  t.true(result.clean)
  if (result.clean) t.true(result.ids.equals(ids('ONE\ntwo\nthree\nfour\nFIVE\nsix\n')))
})

test('edits to the same line do not merge', (t) => {
  const result = mergeIds(ids('a\nb\nc\n'), ids('a\nB1\nc\n'), ids('a\nB2\nc\n'))
  t.false(result.clean)
})

test('the same edit on both sides is not a conflict', (t) => {
  const result = mergeIds(ids('a\nb\nc\n'), ids('a\nX\nc\n'), ids('a\nX\nc\n'))
  t.true(result.clean)
  if (result.clean) t.true(result.ids.equals(ids('a\nX\nc\n')))
})

test('conflict copies are named for people and never collide', (t) => {
  const date = new Date(Date.UTC(2026, 10, 25, 14, 30, 5))
  t.is(
    conflictCopyPath('Risotto.cook', 'laptop', date, () => false),
    'Risotto (conflict laptop 2026-11-25 143005).cook',
  )
  t.is(
    conflictCopyPath('reports/cost.md.jinja', 'phone', date, () => false),
    'reports/cost.md (conflict phone 2026-11-25 143005).jinja',
  )
  t.is(
    conflictCopyPath('Makefile', 'pc', date, () => false),
    'Makefile (conflict pc 2026-11-25 143005)',
  )
  const taken = new Set(['Risotto (conflict laptop 2026-11-25 143005).cook'])
  t.is(
    conflictCopyPath('Risotto.cook', 'laptop', date, (c) => taken.has(c)),
    'Risotto (conflict laptop 2026-11-25 143005 2).cook',
  )
  t.true(isConflictCopy('a/Risotto (conflict laptop 2026-11-25 143005).cook'))
  t.false(isConflictCopy('Risotto.cook'))
})

test('a conflict copy of a long name is shortened to fit a disk name (255 bytes), by whole characters', (t) => {
  const date = new Date(Date.UTC(2026, 10, 25, 14, 30, 5))
  const copy = conflictCopyPath(`notes/${'日'.repeat(80)}.cook`, 'laptop', date, () => false)
  const name = copy.slice('notes/'.length)
  t.true(Buffer.byteLength(name) <= 255)
  t.true(Buffer.byteLength(name) > 240)
  t.true(name.endsWith(' (conflict laptop 2026-11-25 143005).cook'))
  t.true(name.startsWith('日日'))
  t.true(isConflictCopy(copy))
})
