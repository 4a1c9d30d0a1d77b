/**
 * A daemon whose pass fails on a page the long-poll brought (here a disk too full to record what the page
 * brings) does not read the same page again at once: the long-poll waits as long as the failed pass's retry.
 * Before, it fed the page to a failing pass about 20 times a second until there was room again.
 */
import path from 'node:path'
import {readFile, rm, writeFile} from 'node:fs/promises'
import {makeDevice} from '../helpers/device.js'
import {startTestServer} from '../helpers/server.js'
import {fill, smallDisk, withSmallDisk} from '../helpers/small-disk.js'
import {tempDir} from '../helpers/temp.js'
import {startDaemon} from '../helpers/test-daemon.js'
import {waitFor} from '../helpers/wait-for.js'

const WAIT_MS = 1000

withSmallDisk('a pass that fails on a long-poll page is tried again after its wait, not at once', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const disk = await smallDisk(t, path.join(await tempDir(t), 'disk'))
  const b = await makeDevice(t, server, 'b', {parent: disk})
  const read = (name: string) => readFile(b.file(name), 'utf8').catch(() => undefined)
  await writeFile(a.file('Pie.cook'), 'crust\n')
  await a.pass()
  const failures: {at: number; wait: number}[] = []
  startDaemon(t, b, {minBackoffMs: WAIT_MS, maxBackoffMs: WAIT_MS, onError: (_error, wait) => failures.push({at: performance.now(), wait})})
  await waitFor('b to have Pie.cook', async () => (await read('Pie.cook')) === 'crust\n')
  const filler = path.join(disk, 'filler')
  await fill(filler)
  await writeFile(a.file('Tart.cook'), 'pastry\n')
  await a.pass()
  // The page's pass fails, and so may the watcher's passes over the files it wrote; the long-poll reads the page
  // again only after the failed pass's wait.
  const afterWait = (f: {at: number}) => f.at - failures[0].at >= 0.9 * failures[0].wait
  await waitFor("a pass after the first failure's wait", () => failures.length > 0 && failures.some(afterWait), 10 * WAIT_MS)
  const early = failures.filter((f) => !afterWait(f))
  t.true(early.length <= 4, `${early.length} failed passes before the wait was over`)
  await rm(filler)
  await waitFor('b to have Tart.cook once there is room', async () => (await read('Tart.cook')) === 'pastry\n', 10 * WAIT_MS)
})
