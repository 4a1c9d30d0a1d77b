/** Sub-tree path mapping (src/journal/path-prefix.ts): what a server sends is checked against the prefix, whatever it sends. */
import test from 'ava'
import {PathPrefix, checkPrefix, splitNamespace} from '#src/journal/path-prefix.js'
import type {JournalEntry} from '#src/journal/journal-entry.js'
import {fileManifest} from '#src/manifest/manifest.js'
import {IdList} from '#src/chunk/id-list.js'

const prefix = new PathPrefix('recipes/italian')
const file = (path: string, more: Partial<JournalEntry> = {}): JournalEntry => ({
  jid: 9,
  path,
  prev: 4,
  kind: 'file',
  device: 'other',
  time: 0,
  size: 0,
  manifest: fileManifest(new IdList(), 0),
  ...more,
})

test('entries under the prefix lose it; entries outside it (a server that did not filter) are dropped', (t) => {
  t.like(prefix.entry(file('recipes/italian/pasta/cacio.cook')).entry, {path: 'pasta/cacio.cook', prev: 4, kind: 'file'})
  for (const outside of ['cakes/x.cook', 'recipes/italiano.cook', 'recipes/italian', 'recipes/x/recipes/italian/y.cook']) {
    t.deepEqual(prefix.entry(file(outside)), {refused: []}, outside)
  }
})

test('a move into the prefix is a creation, a move out a deletion of its old path, a move inside a move', (t) => {
  const into = prefix.entry(file('recipes/italian/tiramisu.cook', {from: 'cakes/tiramisu.cook'})).entry!
  t.is(into.path, 'tiramisu.cook')
  t.is(into.from, undefined)
  t.truthy(into.manifest)
  const out = prefix.entry(file('cakes/cacio.cook', {from: 'recipes/italian/cacio.cook'})).entry!
  t.like(out, {path: 'cacio.cook', kind: 'deleted', prev: null, jid: 9})
  t.is(out.manifest, undefined)
  t.is(out.from, undefined)
  t.like(prefix.entry(file('recipes/italian/b.cook', {from: 'recipes/italian/a.cook'})).entry, {path: 'b.cook', from: 'a.cook'})
})

test("a path that is valid in the namespace but not once the prefix is off (the folder's own .sync) is refused", (t) => {
  const planted = prefix.entry(file('recipes/italian/.sync/config.json'))
  t.is(planted.entry, undefined)
  t.is(planted.refused.length, 1)
  t.like(planted.refused[0], {path: 'recipes/italian/.sync/config.json', gone: false})
  t.regex(planted.refused[0].reason, /\.sync/)
  // As the old path of a move out: the deletion is refused too, nothing is deleted here.
  const away = prefix.entry(file('cakes/x', {from: 'recipes/italian/.SYNC/db'}))
  t.is(away.entry, undefined)
  t.like(away.refused[0], {gone: true})
  t.throws(() => prefix.inside(file('cakes/x.cook')), {code: 'E_INVALID_INPUT'})
})

test('commit items gain the prefix; a path too long with it cannot be sent', (t) => {
  t.like(prefix.item({path: 'b.cook', base: 3, from: {path: 'a.cook', base: 2}, deleted: true}), {
    path: 'recipes/italian/b.cook',
    from: {path: 'recipes/italian/a.cook', base: 2},
  })
  t.is(prefix.unsendable('a.cook'), undefined)
  t.regex(prefix.unsendable(`${'a/'.repeat(506)}b`)!, /over 1024 bytes/)
  t.regex(prefix.unsendable('.sync/x')!, /\.sync/)
})

test('NS:PREFIX is split and the prefix checked by the path rules', (t) => {
  t.deepEqual(splitNamespace('family'), {namespace: 'family'})
  t.deepEqual(splitNamespace('family:recipes/italian/'), {namespace: 'family', prefix: 'recipes/italian'})
  for (const bad of ['', '/', '/abs', 'a//b', 'a/../b', '.sync', 'a\\b']) t.throws(() => checkPrefix(bad), {code: 'E_INVALID_INPUT'}, bad)
})
