/**
 * Fuzzing the server API with fast-check: arbitrary routes, methods, tokens, queries and bodies (JSON of any
 * shape, near-valid commits with hostile paths, ids and bases, random pack bytes). Every answer must be 2xx or
 * 4xx, never 5xx, and a refused request must leave the namespace exactly as it was.
 * Reproduce a failure with FC_SEED=<seed> (printed by fast-check).
 */
import test from 'ava'
import {fc} from '../helpers/fast-check-seed.js'
import request from 'supertest'
import {sha256Hex} from '#src/chunk/hash.js'
import {namespaceState} from './support/state.js'
import {testServer} from './support/test-server.js'

const HOSTILE_PATHS = [
  '../x',
  'a/../../b',
  '/etc/passwd',
  'C:\\x',
  'a\\b',
  'a\u0000b',
  '',
  'x'.repeat(5000),
  '.sync/config.json',
  '.SYNC/x',
  'a//b',
  'a/',
  './a',
  '\ud800',
  'ok.cook',
]
const pathArb = fc.oneof(fc.constantFrom(...HOSTILE_PATHS), fc.string({maxLength: 40}), fc.stringMatching(/^[a-z]{1,8}(\/[a-z]{1,8}){0,2}\.cook$/))
const idArb = fc.oneof(fc.constant(sha256Hex(Buffer.from('known\n'))), fc.stringMatching(/^[0-9a-f]{64}$/), fc.string({maxLength: 70}))
const base64Arb = fc.oneof(
  fc.uint8Array({maxLength: 100}).map((b) => Buffer.from(b).toString('base64')),
  fc.string({maxLength: 60}),
)
const manifestArb = fc.oneof(
  fc.record(
    {
      kind: fc.constantFrom('file', 'symlink', 'dir', 7),
      size: fc.oneof(fc.integer(), fc.double(), fc.string()),
      ids: base64Arb,
      exec: fc.oneof(fc.boolean(), fc.string()),
    },
    {requiredKeys: []},
  ),
  fc.record({kind: fc.constant('symlink'), target: fc.string({maxLength: 20})}),
  fc.anything(),
)
const itemArb = fc.record(
  {
    path: pathArb,
    base: fc.oneof(fc.constant(null), fc.integer({min: -2, max: 5}), fc.string({maxLength: 5})),
    manifest: manifestArb,
    edits: fc.oneof(fc.array(fc.tuple(fc.integer({min: -1, max: 5}), fc.integer({min: -1, max: 5}), base64Arb), {maxLength: 3}), fc.anything()),
    size: fc.oneof(fc.nat(), fc.integer()),
    exec: fc.boolean(),
    deleted: fc.oneof(fc.constant(true), fc.anything()),
    from: fc.record({path: pathArb, base: fc.oneof(fc.integer({min: -1, max: 5}), fc.string())}),
  },
  {requiredKeys: ['path']},
)
const commitArb = fc.record(
  {
    device: fc.oneof(fc.string({maxLength: 10}), fc.anything()),
    client: fc.string({maxLength: 70}),
    items: fc.oneof(fc.array(itemArb, {maxLength: 4}), fc.anything()),
    inline: fc.oneof(fc.array(base64Arb, {maxLength: 3}), fc.anything()),
    inlineText: fc.oneof(fc.array(fc.string(), {maxLength: 3}), fc.anything()),
  },
  {requiredKeys: []},
)

const ROUTES = ['commit', 'changes', 'entries/1', 'entries/999', 'entries/x', 'log', 'heads', 'chunks/missing', 'packs', 'packs/fetch', 'nope']

/** Mostly well-addressed requests (so bodies reach validation), sometimes hostile at every level. */
const usually = <T>(likely: fc.Arbitrary<T>, otherwise: fc.Arbitrary<T>) => fc.oneof({weight: 4, arbitrary: likely}, {weight: 1, arbitrary: otherwise})

const requestArb = fc.record({
  method: usually(fc.constantFrom('get', 'post'), fc.constantFrom('put', 'delete')),
  namespace: usually(fc.constant('home'), fc.constantFrom('other', '..', 'h%00', 'x'.repeat(70))),
  route: usually(fc.constantFrom(...ROUTES), fc.string({maxLength: 15})),
  token: usually(fc.constant('write'), fc.constantFrom('read', 'otherNamespace', 'none', 'garbage', 'malformed')),
  query: fc.dictionary(
    fc.constantFrom('since', 'limit', 'wait', 'inline', 'path', 'after', 'before', 'client'),
    fc.oneof(fc.integer({min: -5, max: 2000}).map(String), fc.string({maxLength: 10})),
    {maxKeys: 4},
  ),
  body: fc.oneof(
    commitArb.map((b) => ({json: b as unknown})),
    fc.json().map((text) => ({raw: Buffer.from(text), type: 'application/json'})),
    fc.record({ids: fc.oneof(fc.array(idArb, {maxLength: 5}), fc.anything())}).map((b) => ({json: b as unknown})),
    fc.uint8Array({maxLength: 600}).map((bytes) => ({raw: Buffer.from(bytes), type: 'application/x-sync-pack'})),
    fc.constant({raw: Buffer.from('{"items": [', 'utf8'), type: 'application/json'}),
  ),
})

test('arbitrary requests get 2xx or 4xx, never 5xx, and refused ones change nothing', async (t) => {
  t.timeout(300_000)
  const server = await testServer(t, {limits: {waitSeconds: 1}})
  const tokens: Record<string, string | undefined> = {
    write: await server.token('home'),
    read: await server.token('home', true),
    otherNamespace: await server.token('other'),
    none: undefined,
    garbage: 'sync_not-a-real-token',
    malformed: 'a b\tc',
  }
  // Something in the namespace, so that "unchanged" means something.
  const line = Buffer.from('known\n')
  const seeded = await server
    .as(tokens.write!)
    .post('/v1/ns/home/commit')
    .send({
      items: [{path: 'a.cook', base: null, manifest: {kind: 'file', size: line.length, ids: Buffer.from(sha256Hex(line), 'hex').toString('base64')}}],
      inlineText: [line.toString()],
    })
  t.is(seeded.status, 200)
  let before = await namespaceState(server.storage, 'home')
  let refused = 0
  let accepted = 0
  await fc.assert(
    fc.asyncProperty(requestArb, async (r) => {
      const query = new URLSearchParams(r.query)
      if (query.get('wait') !== null && Number(query.get('wait')) > 0) query.set('since', '1000000')
      const url = `/v1/ns/${encodeURIComponent(r.namespace)}/${r.route}${query.size > 0 ? `?${query}` : ''}`
      let call = request(server.callback)[r.method](url)
      const token = tokens[r.token]
      if (token !== undefined) call = call.set('Authorization', `Bearer ${token}`)
      call = 'json' in r.body ? call.send(r.body.json as object) : call.set('Content-Type', r.body.type!).send(r.body.raw)
      const response = await call.catch((error: {status?: number}) => error)
      const status = (response as {status?: number}).status ?? 0
      if (status >= 500 || status === 0)
        throw new Error(`${r.method.toUpperCase()} ${url} answered ${status}: ${JSON.stringify((response as {body?: unknown}).body)}`)
      const after = await namespaceState(server.storage, 'home')
      if (status >= 400) {
        refused++
        if (JSON.stringify(after) !== JSON.stringify(before))
          throw new Error(`${r.method.toUpperCase()} ${url} was refused (${status}) but changed the namespace`)
      } else accepted++
      before = after
    }),
    {numRuns: Number(process.env.FUZZ_RUNS ?? 400)},
  )
  t.log(`${refused} refused, ${accepted} accepted`)
  t.true(refused > 0 && accepted > 0)
})
