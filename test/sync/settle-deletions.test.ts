/**
 * settleDeletions alone: how many looks a pass takes before judging its deletions, with a counter standing in
 * for the folder (the syncer's use of it, on real folders, is in delete-guard.test.ts).
 */
import test from 'ava'
import {SETTLE_MAX_LOOKS, settleDeletions} from '#src/sync/settle-deletions.js'

/** Deletions seen at each look, in turn (the last one repeats). */
function folder(seen: number[]) {
  let at = 0
  const waits: number[] = []
  return {
    waits,
    steps: {
      deletions: () => seen[Math.min(at, seen.length - 1)],
      look: async () => {
        at++
      },
      onWait: (deletions: number) => waits.push(deletions),
    },
  }
}

test('no deletion: no wait, no look', async (t) => {
  const {steps, waits} = folder([0])
  t.is(await settleDeletions(steps, 1), 0)
  t.deepEqual(waits, [])
})

test('deletions that stay the same: one look', async (t) => {
  const {steps, waits} = folder([3])
  t.is(await settleDeletions(steps, 1), 1)
  t.deepEqual(waits, [3])
})

test('deletions that grow: looks until they stop growing', async (t) => {
  const {steps, waits} = folder([20, 60, 111])
  t.is(await settleDeletions(steps, 1), 3)
  t.deepEqual(waits, [20, 60, 111])
})

test('deletions that come back (a file saved by delete and create): the look ends the wait', async (t) => {
  const {steps} = folder([2, 1])
  t.is(await settleDeletions(steps, 1), 1)
})

test('deletions that never stop growing: judged after the bound', async (t) => {
  const {steps, waits} = folder(Array.from({length: 100}, (_, i) => i + 1))
  t.is(await settleDeletions(steps, 1), SETTLE_MAX_LOOKS)
  t.is(waits.length, SETTLE_MAX_LOOKS)
})
