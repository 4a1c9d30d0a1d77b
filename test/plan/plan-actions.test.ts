import test from 'ava'
import {planActions, planPath} from '#src/plan/plan-actions.js'
import type {LocalVersion, PathRecord, SyncedVersion} from '#src/state/path-record.js'
import type {Manifest} from '#src/manifest/manifest.js'
import {textManifest} from '../helpers/manifests.js'

const local = (manifest: Manifest): LocalVersion => ({manifest, size: 1, mtimeMs: 1, ctimeMs: 1, ino: 1, hashedAtMs: 9})
const at = (jid: number, manifest?: Manifest): SyncedVersion => ({jid, ...(manifest ? {manifest} : {})})
const v1 = textManifest('a\nb\n')
const v2 = textManifest('a\nB\n')
const v3 = textManifest('A\nb\n')

test('in sync: nothing to do; a new agreement is recorded', (t) => {
  t.is(planPath('p', {local: local(v1), base: at(3, v1), remote: at(3, v1)}), undefined)
  t.deepEqual(planPath('p', {local: local(v2), base: at(3, v1), remote: at(4, v2)}), {type: 'record', path: 'p', version: at(4, v2)})
})

test('only local changed: upload on the remote head; local deletion: tombstone', (t) => {
  t.deepEqual(planPath('p', {local: local(v2), base: at(3, v1), remote: at(3, v1)}), {type: 'upload', path: 'p', base: 3, manifest: v2})
  t.deepEqual(planPath('p', {local: local(v1)}), {type: 'upload', path: 'p', base: null, manifest: v1})
  t.deepEqual(planPath('p', {base: at(3, v1), remote: at(3, v1)}), {type: 'delete-remote', path: 'p', base: 3})
})

test('only remote changed: download, or delete the local file', (t) => {
  t.like(planPath('p', {local: local(v1), base: at(3, v1), remote: at(5, v2)}), {type: 'download', path: 'p'})
  t.like(planPath('p', {remote: at(5, v2)}), {type: 'download', path: 'p'})
  t.like(planPath('p', {local: local(v1), base: at(3, v1), remote: at(6)}), {type: 'delete-local', path: 'p'})
})

test('an edit beats a delete, on either side', (t) => {
  t.deepEqual(planPath('p', {local: local(v2), base: at(3, v1), remote: at(6)}), {type: 'upload', path: 'p', base: 6, manifest: v2})
  t.like(planPath('p', {base: at(3, v1), remote: at(7, v3)}), {type: 'download', path: 'p'})
})

test('both edited differently: merge against the base', (t) => {
  t.deepEqual(planPath('p', {local: local(v2), base: at(3, v1), remote: at(7, v3)}), {type: 'merge', path: 'p', base: v1, local: v2, remote: at(7, v3)})
  t.like(planPath('p', {local: local(v2), remote: at(7, v3)}), {type: 'merge', path: 'p'})
})

test('empty is not deleted', (t) => {
  const empty = textManifest('')
  t.deepEqual(planPath('p', {local: local(empty), base: at(3, v1), remote: at(3, v1)}), {type: 'upload', path: 'p', base: 3, manifest: empty})
  t.like(planPath('p', {local: local(v1), base: at(3, v1), remote: at(4, empty)}), {type: 'download'})
})

test('an executable bit change is a change', (t) => {
  t.like(planPath('p', {local: local(textManifest('a\nb\n', true)), base: at(3, v1), remote: at(3, v1)}), {type: 'upload'})
})

test('unreadable files are left alone', (t) => {
  t.is(planPath('p', {local: local(v1), base: at(3, v1), remote: at(3, v1), unreadable: 'permission denied'}), undefined)
  t.is(planPath('p', {base: at(3, v1), remote: at(3, v1), unreadable: 'permission denied'}), undefined)
})

test('a local deletion and creation of the same content is one move', (t) => {
  const records: [string, PathRecord][] = [
    ['old/name.cook', {base: at(3, v1), remote: at(3, v1)}],
    ['new/name.cook', {local: local(v1)}],
    ['other.cook', {local: local(v2)}],
  ]
  const actions = planActions(records)
  t.deepEqual(
    actions.find((a) => a.type === 'move-remote'),
    {type: 'move-remote', path: 'new/name.cook', base: null, from: 'old/name.cook', fromBase: 3, manifest: v1},
  )
  t.is(actions.length, 2)
  t.like(
    actions.find((a) => a.path === 'other.cook'),
    {type: 'upload'},
  )
})

test('two moves of files alike in size and in their first and last lines each pair with their own content', (t) => {
  const x = textManifest('first\nx\nlast\n')
  const y = textManifest('first\ny\nlast\n')
  const records: [string, PathRecord][] = [
    // The first deletion by path holds y: a pairing by key alone would give it to new-x.cook.
    ['old-a.cook', {base: at(3, y), remote: at(3, y)}],
    ['old-b.cook', {base: at(4, x), remote: at(4, x)}],
    ['new-y.cook', {local: local(y)}],
    ['new-x.cook', {local: local(x)}],
  ]
  const moves = planActions(records).filter((a) => a.type === 'move-remote')
  t.deepEqual(moves.map((a) => [a.path, a.type === 'move-remote' ? a.from : '']).sort(), [
    ['new-x.cook', 'old-b.cook'],
    ['new-y.cook', 'old-a.cook'],
  ])
})

test('a remote move of an unchanged file is a local rename; of an edited one, a download (the edit stays)', (t) => {
  const moved = (manifestA: Manifest): [string, PathRecord][] => [
    ['a.cook', {local: local(manifestA), base: at(3, v1), remote: {jid: 9, movedTo: 'b.cook'}}],
    ['b.cook', {remote: {jid: 9, manifest: v1, movedFrom: 'a.cook'}}],
  ]
  t.deepEqual(planActions(moved(v1)), [{type: 'move-local', path: 'b.cook', from: 'a.cook', remote: {jid: 9, manifest: v1, movedFrom: 'a.cook'}}])
  const edited = planActions(moved(v2))
  t.like(
    edited.find((a) => a.path === 'a.cook'),
    {type: 'upload', base: 9, manifest: v2},
  )
  t.like(
    edited.find((a) => a.path === 'b.cook'),
    {type: 'download'},
  )
})
