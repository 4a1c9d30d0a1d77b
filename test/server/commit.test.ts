import test from 'ava'
import {idsBase64, inlineOf, version} from './support/versions.js'
import type {InlineWire} from '#src/journal/inline-wire.js'
import {testServer, type TokenAgent} from './support/test-server.js'

const recipe = version('Risotto\n', '@rice{300%g}\n', 'Stir.\n')
const edited = version('Risotto\n', '@rice{350%g}\n', 'Stir.\n')
const other = version('Pancakes\n')

async function setup(t: Parameters<typeof testServer>[0]) {
  const server = await testServer(t)
  const api = server.as(await server.token('home'))
  const commit = async (items: unknown[], inline?: InlineWire) => {
    const res = await api.post('/v1/ns/home/commit').send({device: 'laptop', items, ...inline})
    t.is(res.status, 200, JSON.stringify(res.body))
    return res.body.results as {status: string; jid?: number; head?: {jid: number; path: string; ids?: string; kind: string}; ids?: string[]}[]
  }
  return {server, api, commit}
}

const entry = async (api: TokenAgent, jid: number) => (await api.get(`/v1/ns/home/entries/${jid}`)).body.entry

test('a new file whose chunks the server lacks is missing, then commits once they are inline', async (t) => {
  const {commit, api} = await setup(t)
  const [missing] = await commit([{path: 'Risotto.cook', base: null, manifest: recipe.manifest}])
  t.deepEqual(missing, {status: 'missing', ids: recipe.ids})
  t.is((await api.get('/v1/ns/home/changes')).body.head, 0)
  const [committed] = await commit([{path: 'Risotto.cook', base: null, manifest: recipe.manifest}], recipe.inline)
  t.deepEqual(committed, {status: 'committed', jid: 1})
  t.like(await entry(api, 1), {jid: 1, path: 'Risotto.cook', prev: null, kind: 'file', size: recipe.size, ids: recipe.wireIds, device: 'laptop'})
})

test('rule 1: equal content is unchanged, whatever the base; deleting an absent path is unchanged', async (t) => {
  const {commit} = await setup(t)
  await commit([{path: 'a.cook', base: null, manifest: recipe.manifest}], recipe.inline)
  t.deepEqual(await commit([{path: 'a.cook', base: null, manifest: recipe.manifest}]), [{status: 'unchanged', jid: 1}])
  t.deepEqual(await commit([{path: 'a.cook', base: 1, manifest: recipe.manifest}]), [{status: 'unchanged', jid: 1}])
  t.deepEqual(await commit([{path: 'never.cook', base: null, deleted: true}]), [{status: 'unchanged', jid: 0}])
  t.deepEqual(await commit([{path: 'a.cook', base: 1, deleted: true}]), [{status: 'committed', jid: 2}])
  t.deepEqual(await commit([{path: 'a.cook', base: 1, deleted: true}]), [{status: 'unchanged', jid: 2}])
  // The executable bit is part of the content.
  t.deepEqual(await commit([{path: 'a.cook', base: 2, manifest: recipe.manifest}]), [{status: 'committed', jid: 3}])
  t.deepEqual(await commit([{path: 'a.cook', base: 3, manifest: {...recipe.manifest, exec: true}}]), [{status: 'committed', jid: 4}])
})

test('rule 2: a commit on the head moves it on, with prev set', async (t) => {
  const {commit, api} = await setup(t)
  await commit([{path: 'a.cook', base: null, manifest: recipe.manifest}], recipe.inline)
  t.deepEqual(await commit([{path: 'a.cook', base: 1, manifest: edited.manifest}], edited.inline), [{status: 'committed', jid: 2}])
  t.like(await entry(api, 2), {prev: 1, ids: edited.wireIds})
})

test('rule 3: an edit beats a delete (a stale base over a deletion commits)', async (t) => {
  const {commit, api} = await setup(t)
  await commit([{path: 'a.cook', base: null, manifest: recipe.manifest}], recipe.inline)
  await commit([{path: 'a.cook', base: 1, deleted: true}])
  t.deepEqual(await commit([{path: 'a.cook', base: 1, manifest: edited.manifest}], edited.inline), [{status: 'committed', jid: 3}])
  t.like(await entry(api, 3), {prev: 2, kind: 'file'})
  // And a new file over a deletion it never saw.
  await commit([{path: 'a.cook', base: 3, deleted: true}])
  t.deepEqual(await commit([{path: 'a.cook', base: null, manifest: other.manifest}], other.inline), [{status: 'committed', jid: 5}])
})

test('rule 4: a stale base is a conflict with the current head, and nothing is written', async (t) => {
  const {commit, api} = await setup(t)
  await commit([{path: 'a.cook', base: null, manifest: recipe.manifest}], recipe.inline)
  await commit([{path: 'a.cook', base: 1, manifest: edited.manifest}], edited.inline)
  for (const item of [
    {path: 'a.cook', base: 1, manifest: other.manifest},
    {path: 'a.cook', base: null, manifest: other.manifest},
    {path: 'a.cook', base: 1, deleted: true},
  ]) {
    const [result] = await commit([item], other.inline)
    t.is(result.status, 'conflict')
    t.like(result.head, {jid: 2, path: 'a.cook', kind: 'file', ids: edited.wireIds})
  }
  t.is((await api.get('/v1/ns/home/changes')).body.head, 2)
})

test('a conflict is reported before missing chunks', async (t) => {
  const {commit} = await setup(t)
  await commit([{path: 'a.cook', base: null, manifest: recipe.manifest}], recipe.inline)
  await commit([{path: 'a.cook', base: 1, manifest: edited.manifest}], edited.inline)
  const [result] = await commit([{path: 'a.cook', base: 1, manifest: other.manifest}])
  t.is(result.status, 'conflict')
})

test('edits apply to the base version; the entry has the full ids', async (t) => {
  const {commit, api} = await setup(t)
  await commit([{path: 'a.cook', base: null, manifest: recipe.manifest}], recipe.inline)
  const edits = [[1, 1, idsBase64(edited.ids[1])]]
  t.deepEqual(await commit([{path: 'a.cook', base: 1, edits, size: edited.size}], edited.inline), [{status: 'committed', jid: 2}])
  t.like(await entry(api, 2), {ids: edited.wireIds, size: edited.size, prev: 1})
  // Edits relative to an older base than the head: a conflict, not a wrong file.
  const [late] = await commit([{path: 'a.cook', base: 1, edits: [[0, 1, idsBase64(other.ids[0])]], size: 28}], other.inline)
  t.is(late.status, 'conflict')
})

test('items go in order, each seeing the ones before; all JIDs are contiguous', async (t) => {
  const {commit, api} = await setup(t)
  const inline = inlineOf(recipe, edited, other)
  const results = await commit(
    [
      {path: 'a.cook', base: null, manifest: recipe.manifest},
      {path: 'b.cook', base: null, manifest: other.manifest},
      {path: 'a.cook', base: null, manifest: edited.manifest},
      {path: 'c.cook', base: null, manifest: edited.manifest},
    ],
    inline,
  )
  t.deepEqual(
    results.map((r) => r.status),
    ['committed', 'committed', 'conflict', 'committed'],
  )
  t.deepEqual(
    results.map((r) => r.jid ?? r.head?.jid),
    [1, 2, 1, 3],
  )
  for (let i = 0; i < 20; i++) await commit([{path: `n${i}.cook`, base: null, manifest: other.manifest}])
  const {entries} = (await api.get('/v1/ns/home/changes')).body
  t.deepEqual(
    entries.map((e: {jid: number}) => e.jid),
    Array.from({length: 23}, (_, i) => i + 1),
  )
})

test('a move is one entry: the old path is gone, the new one has the content, history follows both', async (t) => {
  const {commit, api} = await setup(t)
  await commit([{path: 'a/old.cook', base: null, manifest: recipe.manifest}], recipe.inline)
  t.deepEqual(await commit([{path: 'b/new.cook', base: null, from: {path: 'a/old.cook', base: 1}, manifest: recipe.manifest}]), [
    {status: 'committed', jid: 2, from: 'a/old.cook'},
  ])
  t.like(await entry(api, 2), {path: 'b/new.cook', from: 'a/old.cook', prev: null})
  const heads = (await api.get('/v1/ns/home/heads')).body.heads
  t.deepEqual(
    heads.map((h: {path: string}) => h.path),
    ['b/new.cook'],
  )
  const log = (await api.get('/v1/ns/home/log?path=a/old.cook')).body.entries
  t.deepEqual(
    log.map((e: {jid: number}) => e.jid),
    [2, 1],
  )
  // The old path is now absent: deleting it is unchanged, creating it again commits.
  t.deepEqual(await commit([{path: 'a/old.cook', base: 1, deleted: true}]), [{status: 'unchanged', jid: 2}])
})

test('a move whose old path was edited meanwhile is a conflict; one whose old path is gone is a plain create', async (t) => {
  const {commit, api} = await setup(t)
  await commit([{path: 'old.cook', base: null, manifest: recipe.manifest}], recipe.inline)
  await commit([{path: 'old.cook', base: 1, manifest: edited.manifest}], edited.inline)
  const [result] = await commit([{path: 'new.cook', base: null, from: {path: 'old.cook', base: 1}, manifest: recipe.manifest}])
  t.is(result.status, 'conflict')
  t.like(result.head, {jid: 2, path: 'old.cook'})
  await commit([{path: 'old.cook', base: 2, deleted: true}])
  t.deepEqual(await commit([{path: 'new.cook', base: null, from: {path: 'old.cook', base: 2}, manifest: edited.manifest}]), [{status: 'committed', jid: 4}])
  const created = await entry(api, 4)
  t.is(created.from, undefined)
})

test('symlinks commit and compare by target', async (t) => {
  const {commit, api} = await setup(t)
  const link = {kind: 'symlink', target: '../shared/Risotto.cook'}
  t.deepEqual(await commit([{path: 'link.cook', base: null, manifest: link}]), [{status: 'committed', jid: 1}])
  t.deepEqual(await commit([{path: 'link.cook', base: 1, manifest: link}]), [{status: 'unchanged', jid: 1}])
  t.like(await entry(api, 1), {kind: 'symlink', target: '../shared/Risotto.cook'})
})

test('a file cannot go under a present file or symlink, nor at a path with present paths under it: conflict with the blocking head', async (t) => {
  const {commit} = await setup(t)
  await commit([{path: 'notes', base: null, manifest: recipe.manifest}], recipe.inline)
  await commit([{path: 'link', base: null, manifest: {kind: 'symlink', target: '/etc'}}])
  await commit([{path: 'folder/deep/x.cook', base: null, manifest: other.manifest}], other.inline)
  const [under, underLink, onFolder] = await commit([
    {path: 'notes/today.txt', base: null, manifest: other.manifest},
    {path: 'link/passwd', base: null, manifest: other.manifest},
    {path: 'folder', base: null, manifest: other.manifest},
  ])
  t.like(under, {status: 'conflict', head: {jid: 1, path: 'notes'}})
  t.like(underLink, {status: 'conflict', head: {jid: 2, path: 'link'}})
  t.like(onFolder, {status: 'conflict', head: {jid: 3, path: 'folder/deep/x.cook'}})
  // A deletion is never blocked; a similar name beside the folder is not under it.
  t.like(await commit([{path: 'folder.cook', base: null, manifest: other.manifest}]), [{status: 'committed'}])
  t.like(await commit([{path: 'notes/today.txt', base: null, deleted: true}]), [{status: 'unchanged'}])
})

test('the place of a file is judged in commit order: clearing it first in the same commit lets the file in, after does not', async (t) => {
  const {commit} = await setup(t)
  await commit([{path: 'notes', base: null, manifest: recipe.manifest}], recipe.inline)
  const [tooEarly, deleted] = await commit(
    [
      {path: 'notes/today.txt', base: null, manifest: other.manifest},
      {path: 'notes', base: 1, deleted: true},
    ],
    other.inline,
  )
  t.like(tooEarly, {status: 'conflict', head: {path: 'notes'}})
  t.like(deleted, {status: 'committed', jid: 2})
  t.like(
    await commit([
      {path: 'notes/today.txt', base: null, manifest: other.manifest},
      {path: 'notes', base: 2, manifest: recipe.manifest},
    ]),
    [
      {status: 'committed', jid: 3},
      {status: 'conflict', head: {jid: 3, path: 'notes/today.txt'}},
    ],
  )
  // A move out of the way counts: the only file of a folder moved to the folder's own name.
  t.like(await commit([{path: 'notes', base: 2, from: {path: 'notes/today.txt', base: 3}, manifest: other.manifest}]), [
    {status: 'committed', jid: 4, from: 'notes/today.txt'},
  ])
})
