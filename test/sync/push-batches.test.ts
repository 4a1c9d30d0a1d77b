/**
 * A push of more changes than one commit takes (src/sync/push.ts: 1,000 items per commit): the batches upload one
 * after another while earlier ones commit. Cut in the middle, the pass fails, what was committed stays recorded,
 * and the next pass sends only the rest: every file once in the journal, B equal to A.
 */
import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {makeDevice} from '../helpers/device.js'
import {startOutageProxy} from '../helpers/outage-proxy.js'
import {startTestServer} from '../helpers/server.js'
import {readTree} from '../helpers/tree.js'
import {waitFor} from '../helpers/wait-for.js'

const FILES = 2600

/** `count` small files of lines no other file has (so their chunks go in packs, not inline). */
async function writeNotes(root: string, count: number): Promise<void> {
  for (let folder = 0; folder < count / 100; folder++) {
    const dir = path.join(root, `notes-${folder}`)
    await mkdir(dir, {recursive: true})
    for (let i = 0; i < 100; i++) {
      const n = folder * 100 + i
      await writeFile(path.join(dir, `note-${n}.md`), `# Note ${n}\nline two of note ${n}, written for the push test\n`)
    }
  }
}

test('a push of three batches cut after the first commit: the pass fails, the next sends the rest, each file once', async (t) => {
  t.timeout(90_000)
  const server = await startTestServer(t)
  const proxy = await startOutageProxy(t, server.url)
  const token = await server.token()
  // About 80 KB of packs per batch at 64 KiB/s: the later batches are surely still uploading when the relay cuts.
  const a = await makeDevice(t, server, 'a', {url: proxy.url, token, bandwidth: {up: 64 * 1024}})
  await writeNotes(a.root, FILES)
  const head = () => server.storage.journal.head('recipes')

  const cut = waitFor('the first batch committed', async () => (await head()) >= 1000, 60_000).then(() => proxy.down())
  const failed = await a.pass().then(
    () => undefined,
    (error: unknown) => error as Error,
  )
  await cut
  t.is((failed as {code?: string} | undefined)?.code, 'E_NETWORK', `the pass stopped by the outage fails: ${failed?.message}`)
  const committed = await head()
  t.true(committed >= 1000 && committed < FILES, `the journal holds the batches committed before the cut (${committed})`)

  proxy.up()
  const next = await a.pass()
  t.deepEqual(next.pending, [])
  t.is(await head(), FILES, 'each file is in the journal once: nothing committed twice')

  const b = await makeDevice(t, server, 'b')
  t.is((await b.pass()).downloaded, FILES)
  t.deepEqual(await readTree(b.root), await readTree(a.root))
})
