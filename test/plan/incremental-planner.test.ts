/**
 * The incremental planner plans only paths whose record changed and those that had an action: after any
 * sequence of record changes its plan must equal a full plan of every path (real FolderState, real LMDB).
 */
import test from 'ava'
import {fc} from '../helpers/fast-check-seed.js'
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import type {Manifest} from '#src/manifest/manifest.js'
import type {Action} from '#src/plan/action.js'
import {IncrementalPlanner} from '#src/plan/incremental-planner.js'
import {planActions} from '#src/plan/plan-actions.js'
import {FolderState} from '#src/state/folder-state.js'
import type {PathRecord, SyncedVersion} from '#src/state/path-record.js'
import {openStoreIn} from '../helpers/store.js'
import {tempDir} from '../helpers/temp.js'

const PATHS = ['a.cook', 'b.cook', 'dir/c.cook', 'dir/d.cook', 'e.cook', 'f.cook']
const manifests: Manifest[] = [['x\n'], ['y\n'], ['x\n', 'y\n'], []].map((lines) => ({
  kind: 'file' as const,
  size: lines.join('').length,
  exec: false,
  ids: IdList.fromHex(lines.map((line) => sha256Hex(Buffer.from(line)))),
}))

const manifestArb = fc.option(fc.constantFrom(...manifests), {nil: undefined})
const syncedArb: fc.Arbitrary<SyncedVersion> = fc
  .record({jid: fc.integer({min: 1, max: 4}), manifest: manifestArb, moved: fc.option(fc.constantFrom(...PATHS), {nil: undefined})})
  .map(({jid, manifest, moved}) => ({jid, ...(manifest ? {manifest} : {}), ...(moved ? (manifest ? {movedFrom: moved} : {movedTo: moved}) : {})}))
// As the syncer keeps them: a base is a version the remote tree went through, so a remote is there and not older.
const recordArb: fc.Arbitrary<PathRecord> = fc
  .record({
    local: manifestArb,
    base: fc.option(syncedArb, {nil: undefined}),
    remote: syncedArb,
    hasRemote: fc.boolean(),
    unreadable: fc.option(fc.constant('permission denied'), {nil: undefined, freq: 8}),
  })
  .map(({local, base, remote, hasRemote, unreadable}) => ({
    ...(local ? {local: {manifest: local, size: local.kind === 'file' ? local.size : 0, mtimeMs: 1, ctimeMs: 1, ino: 1, hashedAtMs: 2}} : {}),
    ...(base ? {base} : {}),
    ...(base || hasRemote ? {remote: base && remote.jid < base.jid ? base : remote} : {}),
    ...(unreadable ? {unreadable} : {}),
  }))
/** An action as comparable text: manifests by their content, not by the buffers that hold them. */
const describe = (actions: Action[]) => JSON.stringify(actions, (_key, value: unknown) => (value instanceof IdList ? [...value].join(',') : value))

// Each step changes some paths' records (an empty record removes the path), then plans.
const stepsArb = fc.array(fc.array(fc.tuple(fc.constantFrom(...PATHS), recordArb), {maxLength: 3}), {minLength: 1, maxLength: 8})

test('after any record changes, the incremental plan equals the full plan', async (t) => {
  const {env} = await openStoreIn(t, await tempDir(t))
  let runs = 0
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...PATHS), recordArb)), stepsArb, async (initial, steps) => {
      const seeded = FolderState.load(env)
      for (const path of PATHS) seeded.set(path, {})
      for (const [path, record] of initial) seeded.set(path, record)
      await seeded.save()
      const state = FolderState.load(env)
      const planner = new IncrementalPlanner(state)
      if (describe(planner.plan()) !== describe(planActions(state.entries()))) return false
      for (const changes of steps) {
        for (const [path, record] of changes) state.set(path, record)
        if (describe(planner.plan()) !== describe(planActions(state.entries()))) return false
      }
      runs++
      return true
    }),
    {numRuns: 500},
  )
  t.is(runs, 500)
})

test('a move stays planned as a move when only its new path changes again', async (t) => {
  const {env} = await openStoreIn(t, await tempDir(t))
  const state = FolderState.load(env)
  const [x, y] = manifests
  const local = (manifest: Manifest) => ({manifest, size: 1, mtimeMs: 1, ctimeMs: 1, ino: 1, hashedAtMs: 2})
  // old.cook deleted here, new.cook holds its content: one move.
  state.set('old.cook', {base: {jid: 1, manifest: x}, remote: {jid: 1, manifest: x}})
  state.set('new.cook', {local: local(x)})
  const planner = new IncrementalPlanner(state)
  t.deepEqual(
    planner.plan().map((a) => [a.type, a.path]),
    [['move-remote', 'new.cook']],
  )
  // The new file is touched again (same content, new stat): still the same move, old.cook untouched.
  state.set('new.cook', {local: {...local(x), mtimeMs: 5}})
  t.deepEqual(
    planner.plan().map((a) => [a.type, a.path, 'from' in a ? a.from : undefined]),
    [['move-remote', 'new.cook', 'old.cook']],
  )
  t.is(describe(planner.plan()), describe(planActions(state.entries())))
  state.set('other.cook', {local: local(y)})
  t.deepEqual(
    planner.plan().map((a) => [a.type, a.path]),
    [
      ['upload', 'other.cook'],
      ['move-remote', 'new.cook'],
    ],
  )
})
