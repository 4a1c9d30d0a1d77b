/** FolderState on real LMDB: records and their manifests survive a reload; manifests no record names go. */
import test from 'ava'
import {IdList} from '#src/chunk/id-list.js'
import {sha256Hex} from '#src/chunk/hash.js'
import {openEnv} from '#src/db/open-env.js'
import {fileManifest, manifestsEqual, type Manifest} from '#src/manifest/manifest.js'
import {UnknownFormatError} from '#src/errors/index.js'
import {FolderState} from '#src/state/folder-state.js'
import type {LocalVersion} from '#src/state/path-record.js'
import {tempDir} from '../helpers/temp.js'

const manifest = (...lines: string[]): Manifest => fileManifest(IdList.fromHex(lines.map((line) => sha256Hex(Buffer.from(line)))), lines.join('').length)
const local = (m: Manifest): LocalVersion => ({
  manifest: m,
  size: m.kind === 'file' ? m.size : 0,
  mtimeMs: 1700000000123.25,
  ctimeMs: 1700000000123.5,
  ino: 42,
  hashedAtMs: 1700000001000,
})

async function openState(t: Parameters<typeof tempDir>[0]) {
  const dir = await tempDir(t)
  const env = openEnv(dir)
  t.teardown(() => env.close())
  return {env, load: () => FolderState.load(env)}
}

test('records and their manifests survive a reload; only unsettled paths are planned at first', async (t) => {
  const {load} = await openState(t)
  const [x, y] = [manifest('x\n'), manifest('x\n', 'y\n')]
  const state = load()
  state.set('same.cook', {local: local(x), base: {jid: 1, manifest: x}, remote: {jid: 1, manifest: x}})
  state.set('edited.cook', {local: local(y), base: {jid: 1, manifest: x}, remote: {jid: 1, manifest: x}})
  state.set('gone.cook', {base: {jid: 2}, remote: {jid: 2}})
  state.cursor = 2
  await state.save()
  const again = load()
  t.is(again.cursor, 2)
  t.deepEqual([...again.takeTouched()].sort(), ['edited.cook'])
  t.true(manifestsEqual(again.get('edited.cook')!.local!.manifest, y))
  t.true(manifestsEqual(again.get('edited.cook')!.remote!.manifest, x))
  t.like(again.get('same.cook')!.local, {mtimeMs: 1700000000123.25, ctimeMs: 1700000000123.5, ino: 42, hashedAtMs: 1700000001000})
  t.is(again.get('gone.cook')!.remote!.manifest, undefined)
})

test('manifests no record names any more are dropped once they outnumber the named ones', async (t) => {
  const {env, load} = await openState(t)
  const state = load()
  for (let i = 0; i < 300; i++) state.set(`f${i}.cook`, {local: local(manifest(`line ${i}\n`))})
  await state.save()
  for (let i = 0; i < 300; i++) state.set(`f${i}.cook`, i < 10 ? {local: local(manifest(`edited ${i}\n`))} : {})
  await state.save()
  const manifests = env.openDB({name: 'state-manifests', encoding: 'binary', keyEncoding: 'binary'})
  t.is(manifests.getKeysCount(), 310)
  const reloaded = load()
  await reloaded.save()
  t.is(manifests.getKeysCount(), 10)
  for (let i = 0; i < 10; i++) t.true(manifestsEqual(load().get(`f${i}.cook`)!.local!.manifest, manifest(`edited ${i}\n`)))
})

test('the state records its format with its first write, and a state of a newer format is refused with E_FORMAT', async (t) => {
  const {env, load} = await openState(t)
  const meta = env.openDB<unknown, string>({name: 'state-meta'})
  const state = load()
  t.is(meta.get('format'), undefined)
  state.set('a.cook', {local: local(manifest('a\n'))})
  await state.save()
  t.is(meta.get('format'), 1)
  await env.transaction(() => meta.putSync('format', 3))
  const error = t.throws(() => load(), {instanceOf: UnknownFormatError})
  t.regex(error!.message, /^the sync state in .* was written by a newer version of sync \(format 3; this one reads up to 2\): update sync, then run again$/)
})

test('beforeSave runs before a change is written, and not when there is nothing to write', async (t) => {
  const {env} = await openState(t)
  const calls: number[] = []
  const state = FolderState.load(env, {beforeSave: () => calls.push(FolderState.load(env).size)})
  await state.save()
  t.deepEqual(calls, [])
  state.set('a.cook', {local: local(manifest('a\n'))})
  await state.save()
  t.deepEqual(calls, [0], 'called while the record was not written yet')
})

test('dropping unnamed manifests spares those of versions loaded before, even once their record has changed', async (t) => {
  const {env, load} = await openState(t)
  const state = load()
  for (let i = 0; i < 300; i++) state.set(`f${i}.cook`, {local: local(manifest(`line ${i}\n`))})
  await state.save()
  for (let i = 1; i < 300; i++) state.set(`f${i}.cook`, {})
  await state.save()
  // Loaded with many unnamed manifests: the next save drops them.
  const reloaded = load()
  const old = reloaded.get('f0.cook')!.local!
  reloaded.set('f0.cook', {local: local(manifest('replaced\n'))})
  await reloaded.save()
  t.true(manifestsEqual(old.manifest, manifest('line 0\n')), 'a version decoded before still reads its manifest')
  t.is(env.openDB({name: 'state-manifests', encoding: 'binary', keyEncoding: 'binary'}).getKeysCount(), 2)
})
