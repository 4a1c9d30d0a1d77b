import test from 'ava'
import {coalesced} from '#src/util/coalesced.js'

/** An operation whose runs the test finishes one by one; each run records what had been "added" when it started. */
function operation() {
  const runs: {covers: number; finish: () => void}[] = []
  let added = 0
  const run = () =>
    new Promise<void>((resolve) => {
      runs.push({covers: added, finish: resolve})
    })
  return {runs, run, add: () => ++added}
}

test('a call during a run waits for the next run, which starts after it; calls meanwhile share that run', async (t) => {
  const {runs, run, add} = operation()
  const flush = coalesced(run)
  const first = flush()
  t.is(runs.length, 1)
  // Added after the first run started: that run does not cover it.
  const mine = add()
  const second = flush()
  const third = flush()
  t.is(second, third)
  t.is(runs.length, 1)
  let secondDone = false
  void second.then(() => (secondDone = true))
  runs[0].finish()
  await first
  await new Promise((resolve) => setImmediate(resolve))
  t.false(secondDone)
  t.is(runs.length, 2)
  t.true(runs[1].covers >= mine)
  runs[1].finish()
  await second
  // Idle again: the next call starts a run of its own at once.
  void flush()
  t.is(runs.length, 3)
  runs[2].finish()
})

test('a failed run fails its callers, and the queued run still starts', async (t) => {
  let calls = 0
  const flush = coalesced(async () => {
    calls++
    if (calls === 1) throw new Error('disk full')
  })
  const failing = flush()
  const next = flush()
  await t.throwsAsync(failing, {message: 'disk full'})
  await t.notThrowsAsync(next)
  t.is(calls, 2)
})
