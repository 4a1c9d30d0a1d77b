/** A big file's manifest in the folder state, kept in slices, on real LMDB: round trips, damage, format, and cleanup. */
import {randomBytes} from 'node:crypto'
import test from 'ava'
import {IdList} from '#src/chunk/id-list.js'
import {openEnv} from '#src/db/open-env.js'
import {CorruptDataError} from '#src/errors/index.js'
import {decodeManifest} from '#src/manifest/manifest-codec.js'
import {fileManifest, manifestsEqual, type Manifest} from '#src/manifest/manifest.js'
import {FolderState} from '#src/state/folder-state.js'
import {SLICE_IDS} from '#src/state/manifest-slices.js'
import type {LocalVersion} from '#src/state/path-record.js'
import {tempDir} from '../helpers/temp.js'

const bigManifest = (ids: number): Manifest => fileManifest(IdList.fromBuffer(randomBytes(ids * 32)), ids * 40)
const local = (m: Manifest): LocalVersion => ({manifest: m, size: m.kind === 'file' ? m.size : 0, mtimeMs: 1, ctimeMs: 1, ino: 7, hashedAtMs: 2})

async function openState(t: Parameters<typeof tempDir>[0]) {
  const env = openEnv(await tempDir(t))
  t.teardown(() => env.close())
  const manifests = env.openDB<Buffer, Buffer>({name: 'state-manifests', encoding: 'binary', keyEncoding: 'binary'})
  const meta = env.openDB<unknown, string>({name: 'state-meta'})
  const values = () => [...manifests.getRange()].map(({key, value}) => ({key: key as Buffer, length: value.length}))
  return {env, manifests, meta, values, load: () => FolderState.load(env)}
}

test('a manifest of more than a slice of ids is stored as its header and slices of at most 2 MiB, and reads back whole', async (t) => {
  const {meta, values, load} = await openState(t)
  const big = bigManifest(2 * SLICE_IDS + 5)
  const state = load()
  state.set('big.txt', {local: local(big), base: {jid: 4, manifest: big}, remote: {jid: 4, manifest: big}})
  await state.save()
  const stored = values()
  t.deepEqual(
    stored.map(({key, length}) => [key.length, length]),
    [
      [16, 11],
      [20, SLICE_IDS * 32],
      [20, SLICE_IDS * 32],
      [20, 5 * 32],
    ],
    'the header under the key, then its slices in order',
  )
  t.is(meta.get('format'), 2)
  const again = load().get('big.txt')!
  t.true(manifestsEqual(again.local!.manifest, big))
  t.is(again.remote!.manifest, again.local!.manifest)
})

test('a state that keeps no manifest in slices stays format 1 (older versions still read it); a manifest of exactly one slice is one value', async (t) => {
  const {meta, values, load} = await openState(t)
  const state = load()
  state.set('a.txt', {local: local(bigManifest(SLICE_IDS))})
  await state.save()
  t.is(meta.get('format'), 1)
  t.deepEqual(
    values().map(({key, length}) => [key.length, length]),
    [[16, 11 + SLICE_IDS * 32]],
  )
})

test('a sliced header is damage to a reader of format 1, and a missing or cut slice is damage here: never a shorter file', async (t) => {
  const {env, manifests, values, load} = await openState(t)
  const state = load()
  state.set('big.txt', {local: local(bigManifest(SLICE_IDS + 3))})
  await state.save()
  const [head, first, last] = values()
  t.throws(() => decodeManifest(manifests.getBinary(head.key)!), {instanceOf: CorruptDataError, message: /bytes without chunks/})

  const lastBytes = manifests.getBinary(last.key)!
  await env.transaction(() => manifests.putSync(last.key, lastBytes.subarray(0, 40)))
  t.throws(() => load().get('big.txt')!.local!.manifest, {instanceOf: CorruptDataError, message: /last slice is not whole ids/})
  await env.transaction(() => manifests.putSync(last.key, lastBytes))
  t.notThrows(() => load().get('big.txt')!.local!.manifest)

  const firstBytes = manifests.getBinary(first.key)!
  await env.transaction(() => manifests.removeSync(first.key))
  t.throws(() => load().get('big.txt')!.local!.manifest, {instanceOf: CorruptDataError, message: /slice 0 is missing/})
  await env.transaction(() => manifests.putSync(first.key, firstBytes.subarray(32)))
  t.throws(() => load().get('big.txt')!.local!.manifest, {instanceOf: CorruptDataError, message: /slice 0 is not 65536 ids/})
})

test('slices go with their manifest when it is dropped as unnamed, slices no header names (a save cut short) too; a named one keeps its slices', async (t) => {
  const {env, manifests, values, load} = await openState(t)
  const state = load()
  const kept = bigManifest(SLICE_IDS + 2)
  state.set('kept.txt', {local: local(kept)})
  state.set('big.txt', {local: local(bigManifest(SLICE_IDS + 1))})
  for (let i = 0; i < 300; i++) state.set(`f${i}.txt`, {local: local(bigManifest(1))})
  await state.save()
  // Slices of a save that never wrote its header.
  const orphan = Buffer.concat([randomBytes(16), Buffer.from([0, 0, 0, 0])])
  await env.transaction(() => manifests.putSync(orphan, randomBytes(64)))
  const small = bigManifest(2)
  for (let i = 0; i < 300; i++) state.set(`f${i}.txt`, {})
  state.set('big.txt', {local: local(small)})
  await state.save()
  t.true(values().length > 300)
  await load().save()
  t.deepEqual(
    values()
      .map(({length}) => length)
      .sort((x, y) => x - y),
    [11, 2 * 32, 11 + 2 * 32, SLICE_IDS * 32],
    'only the manifests still named, the big one with its slices',
  )
  t.true(manifestsEqual(load().get('big.txt')!.local!.manifest, small))
  t.true(manifestsEqual(load().get('kept.txt')!.local!.manifest, kept))
})
