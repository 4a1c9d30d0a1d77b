import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'

const module = path.resolve('dist/src/util/release-buffers.js')

test('releaseDeadBuffers forces a full collection once Buffers grew by a pack, not before, not again (a V8 flag set after start)', async (t) => {
  // A fresh node: the collector's floor and the flag are the process's own. The collections V8 reports are
  // watched for a forced one (what node's gc() makes; V8's own are not forced).
  const script = `
    import {constants, PerformanceObserver} from 'node:perf_hooks'
    import {releaseDeadBuffers} from ${JSON.stringify(module)}
    let forced = 0
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (entry.detail.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) forced++
    }).observe({entryTypes: ['gc']})
    const settle = async (until) => {
      const deadline = Date.now() + 2000
      while (!until() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
    }
    const small = releaseDeadBuffers()
    let dead = Array.from({length: 48}, () => Buffer.alloc(1024 * 1024, 1))
    dead = undefined
    const collected = releaseDeadBuffers()
    await settle(() => forced > 0)
    const forcedByIt = forced
    const again = releaseDeadBuffers()
    await new Promise((resolve) => setTimeout(resolve, 50))
    console.log(JSON.stringify({small, collected, forcedByIt, again, forced}))`
  const {stdout} = await execa('node', ['--input-type=module', '-e', script])
  const result = JSON.parse(stdout) as {small: boolean; collected: boolean; forcedByIt: number; again: boolean; forced: number}
  t.false(result.small, 'nothing grew: no collection')
  t.true(result.collected)
  t.is(result.forcedByIt, 1)
  t.false(result.again, 'no growth since: no collection')
  t.is(result.forced, 1)
})
