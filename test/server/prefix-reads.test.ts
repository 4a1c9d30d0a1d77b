/** The `prefix` of journal reads (docs/protocol.md, Sub-tree reads): a sub-tree device gets only its entries, and its cursor still moves. */
import test from 'ava'
import {testServer} from './support/test-server.js'
import {version} from './support/versions.js'

async function setup(t: Parameters<typeof testServer>[0]) {
  const server = await testServer(t)
  const api = server.as(await server.token('home'))
  const file = version('x\n')
  const commit = async (items: unknown[]) => {
    const res = await api.post('/v1/ns/home/commit').send({items, ...file.inline})
    t.is(res.status, 200, JSON.stringify(res.body))
    return res.body.results
  }
  const {manifest} = file
  const create = (path: string) => commit([{path, base: null, manifest}])
  return {api, commit, create, manifest}
}

const paths = (body: {entries: {path: string; from?: string}[]}) => body.entries.map((e) => (e.from ? `${e.from}->${e.path}` : e.path))

test('changes with a prefix: only entries under it (a move in or out included), last and head over the whole namespace', async (t) => {
  const {api, commit, create, manifest} = await setup(t)
  await create('recipes/italian/carbonara.cook') // 1
  await create('cakes/choc.cook') // 2
  await create('recipes/italiano.cook') // 3: shares the prefix's letters, not its folder
  await commit([{path: 'cakes/carbonara.cook', base: null, from: {path: 'recipes/italian/carbonara.cook', base: 1}, manifest}]) // 4: out
  await commit([{path: 'recipes/italian/x/choc.cook', base: null, from: {path: 'cakes/choc.cook', base: 2}, manifest}]) // 5: in
  await create('bread.cook') // 6
  const {body} = await api.get('/v1/ns/home/changes?since=0&prefix=recipes/italian')
  t.deepEqual(paths(body), [
    'recipes/italian/carbonara.cook',
    'recipes/italian/carbonara.cook->cakes/carbonara.cook',
    'cakes/choc.cook->recipes/italian/x/choc.cook',
  ])
  t.is(body.last, 6)
  t.is(body.head, 6)
  t.false(body.more)
  // A page of only other entries still moves the cursor.
  const paged = (await api.get('/v1/ns/home/changes?since=1&limit=2&prefix=recipes/italian')).body
  t.deepEqual(paged.entries, [])
  t.is(paged.last, 3)
  t.true(paged.more)
})

test('heads with a prefix: the paths under it only, paged', async (t) => {
  const {api, create} = await setup(t)
  for (const path of ['a.cook', 'recipes/italian/a.cook', 'recipes/italian/b.cook', 'recipes/italiano.cook', 'recipes/italian/c/d.cook', 'z.cook'])
    await create(path)
  const first = (await api.get('/v1/ns/home/heads?prefix=recipes/italian&limit=2')).body
  t.deepEqual(
    first.heads.map((h: {path: string}) => h.path),
    ['recipes/italian/a.cook', 'recipes/italian/b.cook'],
  )
  t.true(first.more)
  const second = (await api.get('/v1/ns/home/heads?prefix=recipes/italian&limit=2&after=recipes/italian/b.cook')).body
  t.deepEqual(
    second.heads.map((h: {path: string}) => h.path),
    ['recipes/italian/c/d.cook'],
  )
  t.false(second.more)
})

test('a prefix that breaks the path rules is 400 E_INVALID_PATH', async (t) => {
  const {api} = await setup(t)
  for (const prefix of ['', '../x', '/abs', 'a//b', '.sync', 'a/']) {
    const res = await api.get(`/v1/ns/home/changes?since=0&prefix=${encodeURIComponent(prefix)}`)
    t.is(res.status, 400, prefix)
    t.is(res.body.error.code, 'E_INVALID_PATH', prefix)
  }
})
