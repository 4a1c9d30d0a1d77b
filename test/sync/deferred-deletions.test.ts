/** Which deletions a daemon's pass leaves for its batch: those its watcher did not report, unless judged before. */
import test from 'ava'
import type {Action} from '#src/plan/action.js'
import {deferredDeletion} from '#src/sync/deferred-deletions.js'

const deletion = (path: string) => ({type: 'delete-remote', path}) as Action
const upload = (path: string) => ({type: 'upload', path}) as Action

test('a deletion under a listed path or folder goes; any other waits; only deletions to send are deferred', (t) => {
  const deferred = deferredDeletion(['Breakfast', 'Risotto.cook'], new Set())
  t.false(deferred(deletion('Risotto.cook')))
  t.false(deferred(deletion('Breakfast/Easy Pancakes.cook')))
  t.false(deferred(deletion('Breakfast/deep/er.cook')))
  t.true(deferred(deletion('Breakfasts.cook')), 'a name that starts like a listed folder is not in it')
  t.true(deferred(deletion('Salads/Caprese.cook')))
  t.false(deferred(deletion('Risotto.cook/not-a-folder')), 'a listed path covers what is under it')
  t.false(deferred(upload('Salads/Caprese.cook')))
  t.false(deferred({type: 'delete-local', path: 'Salads/Caprese.cook'} as Action))
})

test('a full scan (no paths) defers every deletion but those the guard judged before', (t) => {
  const deferred = deferredDeletion(undefined, new Set(['held.cook']))
  t.true(deferred(deletion('Risotto.cook')))
  t.false(deferred(deletion('held.cook')))
  t.true(deferredDeletion([], new Set())(deletion('Risotto.cook')), 'a pass over no path (a remote change) too')
})
