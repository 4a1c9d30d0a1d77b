/**
 * The delete guard's window (holds.ts) on a real folder state: deletions carried out count with the next pass's,
 * across reloads of the state (a `sync once` run each), for the window's length and no longer; approved ones do
 * not count, and approving starts the window again.
 */
import test from 'ava'
import {IdList} from '#src/chunk/id-list.js'
import {sha256Hex} from '#src/chunk/hash.js'
import {openEnv} from '#src/db/open-env.js'
import {fileManifest} from '#src/manifest/manifest.js'
import type {Action} from '#src/plan/action.js'
import {FolderState, type RecentDeletions} from '#src/state/folder-state.js'
import {DEFAULT_DELETE_GUARD} from '#src/sync/delete-guard.js'
import {Holds} from '#src/sync/holds.js'
import {tempDir} from '../helpers/temp.js'

const MINUTE = 60_000
const START = Date.UTC(2026, 11, 6, 12, 0, 0)
const FILES = Array.from({length: 200}, (_, i) => `notes/${String(i).padStart(3, '0')}.txt`)
const manifest = fileManifest(IdList.fromHex([sha256Hex(Buffer.from('note\n'))]), 5)
const judgeInput = {readOnly: false, folderEmpty: () => false, deletedBy: new Map<string, string>()}

/** A folder state on LMDB tracking 200 synced files; `run` opens it as one `sync once` run would, at a time. */
async function folder(t: Parameters<typeof tempDir>[0]) {
  const env = openEnv(await tempDir(t))
  t.teardown(() => env.close())
  const state = FolderState.load(env)
  for (const path of FILES) state.set(path, {base: {jid: 1, manifest}, remote: {jid: 1, manifest}})
  await state.save()
  let clock = START
  return {
    at: (minutes: number) => (clock = START + minutes * MINUTE),
    run: () => {
      const state = FolderState.load(env)
      return {state, holds: new Holds(state, DEFAULT_DELETE_GUARD, () => clock)}
    },
  }
}

const incoming = (paths: readonly string[]): Action[] => paths.map((path) => ({type: 'delete-local', path, remote: {jid: 2}}))

/** One pass: judged, then what is not held carried out and saved (the records of deleted files go). */
async function pass({state, holds}: {state: FolderState; holds: Holds}, actions: Action[]): Promise<{held: number}> {
  holds.beginPass()
  holds.judge(actions, judgeInput)
  const todo = actions.filter((action) => !holds.why(action))
  holds.carriedOut(todo)
  for (const action of todo) state.set(action.path, {})
  await state.save()
  return {held: actions.length - todo.length}
}

test('slices of 40 deletions each under the threshold, in runs minutes apart: the second is held, as 80 of 200 within the hour', async (t) => {
  const {at, run} = await folder(t)
  t.is((await pass(run(), incoming(FILES.slice(0, 40)))).held, 0, '40 is under 50')
  at(10)
  const second = run()
  t.is((await pass(second, incoming(FILES.slice(40, 80)))).held, 40, 'the run before is counted: 80 > 50 and 80 > 0.25 x 200')
  t.deepEqual(second.holds.held(incoming(FILES.slice(40, 41)))[0], {
    type: 'delete-local',
    path: FILES[40],
    why: 'mass-delete',
    lately: {count: 40, minutes: 60},
  })
})

test('the window ends: the same slice an hour and more later goes', async (t) => {
  const {at, run} = await folder(t)
  await pass(run(), incoming(FILES.slice(0, 40)))
  at(61)
  t.is((await pass(run(), incoming(FILES.slice(40, 80)))).held, 0)
  t.deepEqual(
    run().state.recentDeletions.map((entry) => entry.count),
    [40],
    'only the new slice stays in the window',
  )
})

test('a longer window set in the folder settings holds a slice a day later; the default window does not', async (t) => {
  const {at, run} = await folder(t)
  await pass(run(), incoming(FILES.slice(0, 40)))
  at(24 * 60 - 1)
  const {state} = run()
  const daylong = new Holds(state, {...DEFAULT_DELETE_GUARD, minutes: 24 * 60}, () => START + (24 * 60 - 1) * MINUTE)
  daylong.judge(incoming(FILES.slice(40, 80)), judgeInput)
  t.is(daylong.why(incoming([FILES[40]])[0]), 'mass-delete')
  t.is((await pass(run(), incoming(FILES.slice(40, 80)))).held, 0)
})

test('approved deletions do not count, and approving starts the window again', async (t) => {
  const {at, run} = await folder(t)
  await pass(run(), incoming(FILES.slice(0, 40)))
  at(5)
  const second = run()
  t.is((await pass(second, incoming(FILES.slice(40, 80)))).held, 40)
  second.holds.approve(FILES.slice(40, 80))
  t.is((await pass(second, incoming(FILES.slice(40, 80)))).held, 0, 'approved: they go')
  t.deepEqual(run().state.recentDeletions, [], 'neither the approved slice nor the one before it is counted')
  at(10)
  t.is((await pass(run(), incoming(FILES.slice(80, 120)))).held, 0, 'a slice of 40 after the approval goes')
})

test('deletions of one direction within a minute are one entry; the other direction has its own', async (t) => {
  const {at, run} = await folder(t)
  const device = run()
  for (let i = 0; i < 10; i++) {
    at(i / 10)
    await pass(device, incoming(FILES.slice(i * 3, i * 3 + 3)))
  }
  const outgoing: Action[] = [{type: 'delete-remote', path: FILES[100], base: 1}]
  await pass(device, outgoing)
  t.deepEqual(
    run().state.recentDeletions.map(({direction, count}) => [direction, count]),
    [
      ['incoming', 30],
      ['outgoing', 1],
    ],
  )
})

test('a clock set back: a minute keeps the window, days do not make it hold for days; a damaged entry is left out', async (t) => {
  const {at, run} = await folder(t)
  await pass(run(), incoming(FILES.slice(0, 40)))
  at(-1)
  const {state, holds} = run()
  holds.beginPass()
  holds.judge(incoming(FILES.slice(40, 80)), judgeInput)
  t.is(holds.why(incoming([FILES[40]])[0]), 'mass-delete', 'an entry a minute ahead of the clock still counts')
  at(-3 * 24 * 60)
  holds.beginPass()
  holds.judge(incoming(FILES.slice(40, 80)), judgeInput)
  t.is(holds.why(incoming([FILES[40]])[0]), undefined, 'an entry days ahead of the clock does not')
  at(0)
  state.recentDeletions = [{time: START, direction: 'incoming', count: -500}, {time: 'soon', direction: 'up', count: 40} as unknown as RecentDeletions]
  holds.beginPass()
  holds.judge(incoming(FILES.slice(40, 100)), judgeInput)
  t.is(holds.why(incoming([FILES[40]])[0]), 'mass-delete', '60 > 50 and 60 > 0.25 x 160: the damaged entries neither lower nor raise the count')
  holds.beginPass()
  holds.judge(incoming(FILES.slice(40, 80)), judgeInput)
  t.is(holds.why(incoming([FILES[40]])[0]), undefined)
})

test('a deletion held in a round stays held for the rest of its pass, though the folder is not empty any more; the next pass judges afresh', async (t) => {
  const {run} = await folder(t)
  const {holds} = run()
  const deletions: Action[] = FILES.slice(0, 3).map((path) => ({type: 'delete-remote', path, base: 1}))
  let empty = true
  const input = {...judgeInput, folderEmpty: () => empty}
  holds.beginPass()
  holds.judge(deletions, input)
  t.is(holds.why(deletions[0]), 'folder-empty')
  empty = false // the round's downloads landed
  holds.judge(deletions, input)
  t.is(holds.why(deletions[0]), 'folder-empty', 'three deletions are under every threshold, and still held')
  holds.beginPass()
  holds.judge(deletions, input)
  t.is(holds.why(deletions[0]), undefined, 'a pass that finds files in the folder from its start lets three go')
})
