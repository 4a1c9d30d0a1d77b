/** Two daemons (runDaemon, in process) against a real server: changes both ways, renames, an outage. */
import {readFileSync} from 'node:fs'
import {readFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {Backoff} from '#src/sync/backoff.js'
import type {DaemonOptions} from '#src/sync/daemon.js'
import {makeDevice, type Device} from '../helpers/device.js'
import {startTestServer} from '../helpers/server.js'
import {startDaemon} from '../helpers/test-daemon.js'
import {cookbookFixture} from '../helpers/temp.js'
import {fileIs, waitFor} from '../helpers/wait-for.js'

const fixtureText = (relative: string) => readFileSync(path.join(cookbookFixture, relative), 'utf8')

function daemonsFor(t: Parameters<typeof startTestServer>[0], devices: Device[], options: Partial<DaemonOptions> = {}): string[] {
  const errors: string[] = []
  // One list for all the daemons: a test waits for any of them to report.
  for (const device of devices) startDaemon(t, device, {onError: (e) => errors.push(e.message), ...options})
  return errors
}

test('two daemons carry changes both ways, and a rename moves no chunk bytes', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a', {cookbook: true})
  const b = await makeDevice(t, server, 'b')
  daemonsFor(t, [a, b])
  await waitFor('the cookbook on b', () => fileIs(b.file('Risotto.cook'), fixtureText('Risotto.cook')))

  await writeFile(a.file('Risotto.cook'), 'from a\n')
  await waitFor('a → b', () => fileIs(b.file('Risotto.cook'), 'from a\n'))
  await writeFile(b.file('Salads/Caprese.cook'), 'from b\n')
  await waitFor('b → a', () => fileIs(a.file('Salads/Caprese.cook'), 'from b\n'))

  const photo = await readFile(a.file('Breakfast/Easy Pancakes.jpg'))
  const sent = a.client.traffic().sent
  const received = b.client.traffic().received
  await rename(a.file('Breakfast/Easy Pancakes.jpg'), a.file('Breakfast/Pancakes.jpg'))
  await waitFor('the rename on b', async () => (await readFile(b.file('Breakfast/Pancakes.jpg')).catch(() => Buffer.alloc(0))).equals(photo))
  await waitFor('the old name gone on b', () =>
    readFile(b.file('Breakfast/Easy Pancakes.jpg')).then(
      () => false,
      () => true,
    ),
  )
  t.true(a.client.traffic().sent - sent < photo.length / 20, `a sent ${a.client.traffic().sent - sent} bytes for a rename of ${photo.length}`)
  t.true(b.client.traffic().received - received < photo.length / 20, `b received ${b.client.traffic().received - received} bytes`)
})

test('a small edit goes as soon as its write is done, not after the debounce', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a', {cookbook: true})
  const b = await makeDevice(t, server, 'b')
  // A debounce longer than the wait below: only the early batch (change-batch.ts) can bring the edit over in time.
  daemonsFor(t, [a, b], {debounceMs: 120_000})
  await waitFor('the cookbook on b', () => fileIs(b.file('Risotto.cook'), fixtureText('Risotto.cook')))
  await writeFile(a.file('Risotto.cook'), 'edited on a\n')
  await waitFor('the edit on b', () => fileIs(b.file('Risotto.cook'), 'edited on a\n'), 30_000)
  t.pass()
})

test('a daemon keeps running while the server is down, asks every second or so whether it is back, and sends what queued as soon as it is, whatever its backoff', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a', {cookbook: true})
  const b = await makeDevice(t, server, 'b')
  // A backoff of a minute: only the probe can bring the change over within the bound below.
  const errors = daemonsFor(t, [a, b], {minBackoffMs: 60_000, maxBackoffMs: 60_000, probeMs: 200})
  await waitFor('initial sync', () => fileIs(b.file('Risotto.cook'), fixtureText('Risotto.cook')))
  await server.stop()
  await writeFile(a.file('Risotto.cook'), 'written while the server was down\n')
  await waitFor('a daemon to notice the outage', () => errors.length > 0)
  await server.start()
  await waitFor('the queued change to arrive', () => fileIs(b.file('Risotto.cook'), 'written while the server was down\n'), 20_000)
  t.pass()
})

test('backoff doubles up to its cap and starts over after a success', (t) => {
  const backoff = new Backoff(100, 1000)
  t.deepEqual([backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()], [100, 200, 400, 800, 1000])
  backoff.reset()
  t.is(backoff.next(), 100)
})

test("a daemon's own downloads, renamed into place past their racy window, start no pass of their own", async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  const passes: {files: number; uploaded: number}[] = []
  const errors = daemonsFor(t, [b], {onPass: (summary) => passes.push({files: summary.scan.files, uploaded: summary.uploaded})})
  // Its first pass is a full one, as is any asked for before it ends: the files come after it, by the long-poll.
  await waitFor("b's first pass", () => passes.length === 1)
  // One commit, so one group of 256 files (apply-remote.ts): four batches of 64, the first three renamed once
  // their racy window is over (write-downloads.ts), the last one at once (its files are read again by a pass).
  const names = Array.from({length: 256}, (_, i) => `recipe-${i}.cook`)
  for (const name of names) await writeFile(a.file(name), `>> servings: ${name.length}\nRice.\n`)
  t.is((await a.pass()).uploaded, 256)
  await waitFor('every file on b', async () =>
    (await Promise.all(names.map((name) => fileIs(b.file(name), `>> servings: ${name.length}\nRice.\n`)))).every(Boolean),
  )
  // A file of b's own, after the downloads' events: its pass comes after theirs (batches that come while a pass
  // waits or runs share the pass after it).
  await writeFile(b.file('marker.cook'), 'from b\n')
  await waitFor('the marker sent', () => passes.some((pass) => pass.uploaded === 1))
  // The last batch is read again, by the pass its events start and, when that pass ran within the files' racy
  // window (a loaded machine: the pass comes late, or soon after the renames), once more by the marker's pass. The
  // other 192 files are never read: without the racy window's wait they would be.
  const looked = passes.reduce((sum, pass) => sum + pass.files, 0)
  t.true(looked <= 2 * 64 + 1, `passes looked at ${looked} files (the last batch's 64 twice and the marker at most): ${JSON.stringify(passes)} ${errors}`)
})
