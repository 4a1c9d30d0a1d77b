/**
 * A full disk on the server, for real: the data folder on a small tmpfs, filled up by another file. A commit
 * then fails with 507 E_NO_SPACE and writes nothing; once there is room again the very same server takes the
 * next commit (no restart), everything acknowledged before is there, and fsck is clean. Needs root (mount).
 */
import {randomBytes} from 'node:crypto'
import {rm} from 'node:fs/promises'
import path from 'node:path'
import type {ExecutionContext} from 'ava'
import {IdList} from '#src/chunk/id-list.js'
import {JournalClient} from '#src/journal/journal-client.js'
import {fileManifest} from '#src/manifest/manifest.js'
import {fill, smallDisk, withSmallDisk} from '../helpers/small-disk.js'
import {tempDir} from '../helpers/temp.js'
import {runServer, startServer} from './support/server-process.js'
import {version} from './support/versions.js'

const manifestOf = (v: ReturnType<typeof version>) => fileManifest(IdList.fromHex(v.ids), v.size)
const inlineOf = (v: ReturnType<typeof version>) => new Map(v.chunks.map((c) => [c.id, c.bytes]))
/** Lines that do not compress: the pack must really need room. */
const bulky = (seed: string) => version(...Array.from({length: 40}, () => `${seed} ${randomBytes(3000).toString('base64')}\n`))

/** A server whose data folder is on a small disk, a token of `namespace` and a journal client with it. */
async function serverOnSmallDisk(t: ExecutionContext, namespace: string) {
  const disk = await smallDisk(t, path.join(await tempDir(t), 'disk'))
  const data = path.join(disk, 'data')
  const token = String((await runServer(['token', '--data', data, '--namespace', namespace])).stdout)
  const server = await startServer(t, data)
  const journal = new JournalClient({url: server.url, namespace, token}, {timeoutMs: 20_000})
  t.teardown(() => journal.close())
  return {disk, data, token, server, journal, filler: path.join(disk, 'filler')}
}

withSmallDisk('after a full disk the server recovers by itself once there is room: nothing acknowledged is lost, fsck is clean', async (t) => {
  const {data, token, server, journal, filler} = await serverOnSmallDisk(t, 'home')
  const before = bulky('before')
  t.like(await journal.commit([{path: 'before.txt', base: null, manifest: manifestOf(before)}], {inline: inlineOf(before)}), [{status: 'committed'}])

  await fill(filler)
  const refused = bulky('refused')
  const error = await t.throwsAsync(journal.commit([{path: 'refused.txt', base: null, manifest: manifestOf(refused)}], {inline: inlineOf(refused)}))
  t.is((error as {code?: string}).code, 'E_NO_SPACE')
  t.is((await journal.changes(0)).head, 1, 'nothing of the refused commit was written')

  await rm(filler)
  const after = bulky('after')
  t.like(await journal.commit([{path: 'after.txt', base: null, manifest: manifestOf(after)}], {inline: inlineOf(after)}), [{status: 'committed', jid: 2}])
  t.like(await journal.commit([{path: 'refused.txt', base: null, manifest: manifestOf(refused)}], {inline: inlineOf(refused)}), [{status: 'committed', jid: 3}])
  const ids = [...new Set([...before.ids, ...after.ids, ...refused.ids])]
  const fetched = await fetch(`${server.url}/v1/ns/home/packs/fetch`, {
    method: 'POST',
    headers: {Authorization: `Bearer ${token}`, 'Content-Type': 'application/json'},
    body: JSON.stringify({ids}),
  })
  t.is(fetched.status, 200, 'every chunk, from before and after the full disk, can be read')

  await server.stop()
  const fsck = await runServer(['fsck', '--data', data])
  t.is(fsck.exitCode, 0, String(fsck.stdout) + String(fsck.stderr))
})

withSmallDisk('a namespace first used on a full disk: 507 E_NO_SPACE, the server keeps serving, and takes it once there is room', async (t) => {
  const {server, journal, filler} = await serverOnSmallDisk(t, 'later')
  await fill(filler)
  // The namespace's chunk store is made at its first commit: a new database, on a full disk (a SIGBUS before).
  const first = bulky('first')
  const error = await t.throwsAsync(journal.commit([{path: 'first.txt', base: null, manifest: manifestOf(first)}], {inline: inlineOf(first)}))
  t.is((error as {code?: string}).code, 'E_NO_SPACE')
  t.is((await fetch(`${server.url}/v1/health`)).status, 200, 'the server is still there')

  await rm(filler)
  t.like(await journal.commit([{path: 'first.txt', base: null, manifest: manifestOf(first)}], {inline: inlineOf(first)}), [{status: 'committed', jid: 1}])
})

withSmallDisk('a new data folder on a full disk: sync-server exits 16 with one line', async (t) => {
  const disk = await smallDisk(t, path.join(await tempDir(t), 'disk'))
  await fill(path.join(disk, 'filler'))
  const made = await runServer(['token', '--data', path.join(disk, 'data'), '--namespace', 'home'])
  t.is(made.exitCode, 16, String(made.stderr))
  t.regex(String(made.stderr), /^error: no space left for a database write: free some and try again \(0\.0 MiB free on the disk of /)
})
