import test from 'ava'
import {coalescedPaths} from '#src/util/coalesced-paths.js'

/** A run the test ends by hand, recording the paths of each. */
function controlledRuns() {
  const runs: {paths: string[]; end: (error?: Error) => void}[] = []
  const run = (paths: string[]) =>
    new Promise<void>((resolve, reject) => {
      runs.push({paths, end: (error) => (error ? reject(error) : resolve())})
    })
  return {runs, run}
}

const turn = () => new Promise((resolve) => setImmediate(resolve))

test('a call with nothing running runs at once, with its paths', async (t) => {
  const {runs, run} = controlledRuns()
  const call = coalescedPaths(run)
  const done = call(['a.cook'])
  t.deepEqual(
    runs.map((r) => r.paths),
    [['a.cook']],
  )
  runs[0].end()
  await done
})

test('calls while one runs share one run after it, with all their paths once each', async (t) => {
  const {runs, run} = controlledRuns()
  const call = coalescedPaths(run)
  const first = call(['a.cook'])
  const second = call(['b.cook'])
  const third = call(['c.cook', 'b.cook'])
  await turn()
  t.is(runs.length, 1, 'nothing more while the first runs')
  runs[0].end()
  await first
  await turn()
  t.deepEqual(
    runs.map((r) => r.paths),
    [['a.cook'], ['b.cook', 'c.cook']],
  )
  // A call while the shared run runs waits for a run of its own after it.
  const fourth = call(['d.cook'])
  runs[1].end()
  await Promise.all([second, third])
  await turn()
  t.deepEqual(runs[2].paths, ['d.cook'])
  runs[2].end()
  await fourth
})

test('a run that fails fails its callers, and the queued run still goes', async (t) => {
  const {runs, run} = controlledRuns()
  const call = coalescedPaths(run)
  const first = call(['a.cook'])
  const second = call(['b.cook'])
  runs[0].end(new Error('server gone'))
  await t.throwsAsync(first, {message: 'server gone'})
  await turn()
  t.deepEqual(runs[1].paths, ['b.cook'])
  runs[1].end()
  await second
})
