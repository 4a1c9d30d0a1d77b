/** The real server process: durability across SIGKILL, draining on SIGTERM, and its admin verbs. */
import {readdir, readFile, rm, writeFile} from 'node:fs/promises'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'
import test from 'ava'
import {fileManifest} from '#src/manifest/manifest.js'
import {IdList} from '#src/chunk/id-list.js'
import {JournalClient} from '#src/journal/journal-client.js'
import {openEnv} from '#src/db/open-env.js'
import {tempDir} from '../helpers/temp.js'
import {runServer, startServer} from './support/server-process.js'
import {version} from './support/versions.js'
import {revocationEndsLongPoll} from './support/revocation.js'

async function newToken(t: Parameters<typeof tempDir>[0], data: string, ...extra: string[]): Promise<string> {
  const made = await runServer(['token', '--data', data, '--namespace', 'home', ...extra])
  t.is(made.exitCode, 0, String(made.stderr))
  t.regex(String(made.stdout), /^[A-Za-z0-9_-]{43}$/)
  return String(made.stdout)
}

/** An admin token, for /metrics. */
async function adminToken(t: Parameters<typeof tempDir>[0], data: string): Promise<string> {
  const made = await runServer(['token', 'create', '--data', data, '--admin'])
  t.is(made.exitCode, 0, String(made.stderr))
  return String(made.stdout)
}

function client(t: Parameters<typeof tempDir>[0], url: string, token: string): JournalClient {
  const journal = new JournalClient({url, namespace: 'home', token}, {timeoutMs: 10_000})
  t.teardown(() => journal.close())
  return journal
}

const manifestOf = (v: ReturnType<typeof version>) => fileManifest(IdList.fromHex(v.ids), v.size)
const inlineOf = (v: ReturnType<typeof version>) => new Map(v.chunks.map((c) => [c.id, c.bytes]))

test('a commit acknowledged just before SIGKILL is there after a restart, with its chunks', async (t) => {
  const data = await tempDir(t)
  const token = await newToken(t, data)
  const server = await startServer(t, data)
  const journal = client(t, server.url, token)
  const acked: {jid: number; path: string; ids: string[]}[] = []
  let killed = false
  // Twenty writers commit new files; the server is killed the moment the 60th acknowledgement arrives.
  await Promise.all(
    Array.from({length: 20}, async (_, w) => {
      for (let i = 0; !killed; i++) {
        const v = version(`writer ${w} file ${i}\n`, `second line ${i}\n`)
        const path = `w${w}/f${i}.cook`
        try {
          const [result] = await journal.commit([{path, base: null, manifest: manifestOf(v)}], {inline: inlineOf(v)})
          if (result.status !== 'committed') throw new Error(JSON.stringify(result))
          acked.push({jid: result.jid, path, ids: v.ids})
          if (acked.length === 60) {
            server.child.kill('SIGKILL')
            killed = true
          }
        } catch (error) {
          if (!killed) throw error
        }
      }
    }),
  )
  await server.child
  const again = await startServer(t, data)
  const after = client(t, again.url, token)
  const page = await after.changes(0)
  // JIDs are contiguous from 1, and every acknowledged one is there as it was.
  t.deepEqual(
    page.entries.map((e) => e.jid),
    Array.from({length: page.head}, (_, i) => i + 1),
  )
  for (const {jid, path, ids} of acked) {
    const entry = await after.entry(jid)
    t.is(entry.path, path)
    t.deepEqual(entry.manifest?.kind === 'file' && entry.manifest.ids.toHexArray(), ids)
  }
  t.true(acked.length >= 60)
  await again.stop()
  const fsck = await runServer(['fsck', '--data', data, '--json'])
  t.is(fsck.exitCode, 0, String(fsck.stdout))
  t.like(JSON.parse(String(fsck.stdout)), {ok: true})
})

test('SIGTERM answers long-polls, lets requests in flight finish, closes storage and exits 0', async (t) => {
  const data = await tempDir(t)
  const token = await newToken(t, data)
  const admin = await adminToken(t, data)
  const server = await startServer(t, data)
  const poll = client(t, server.url, token).changes(0, {wait: 60})
  // A commit whose body is half sent when the signal comes.
  const v = version('last words\n')
  const body = Buffer.from(JSON.stringify({items: [{path: 'last.cook', base: null, manifest: v.manifest}], ...v.inline}))
  const commit = http.request(`${server.url}/v1/ns/home/commit`, {method: 'POST', headers: {Authorization: `Bearer ${token}`, 'Content-Length': body.length}})
  const answer = new Promise<{status?: number; body: string}>((resolve, reject) => {
    commit.on('response', (res) => {
      const parts: Buffer[] = []
      res.on('data', (part: Buffer) => parts.push(part))
      res.on('end', () => resolve({status: res.statusCode, body: Buffer.concat(parts).toString()}))
    })
    commit.on('error', reject)
  })
  commit.write(body.subarray(0, 20))
  // Both are being handled (with this metrics request, three) before the signal.
  const until = Date.now() + 5000
  for (;;) {
    const metrics = await (await fetch(`${server.url}/metrics`, {headers: {Authorization: `Bearer ${admin}`}})).text()
    if (/sync_longpoll_waiters 1\n/.test(metrics) && /sync_http_requests_in_flight 3\n/.test(metrics)) break
    if (Date.now() > until) throw new Error(`the requests never arrived:\n${metrics}`)
  }
  const started = Date.now()
  const exited = server.stop()
  commit.end(body.subarray(20))
  const [page, committed, exit] = await Promise.all([poll, answer, exited])
  t.true(Date.now() - started < 20_000, 'the long-poll was answered at the stop, not after its 60 s')
  t.is(exit.exitCode, 0, String(exit.stderr))
  t.is(committed.status, 200, committed.body)
  t.deepEqual(JSON.parse(committed.body), {results: [{status: 'committed', jid: 1}]})
  t.true(page.entries.length <= 1)
  // Everything is there after a restart.
  const again = await startServer(t, data)
  t.is((await client(t, again.url, token).changes(0)).head, 1)
})

test('token: prints only a token; read-only tokens cannot write; a revoked token is refused at once', async (t) => {
  const data = await tempDir(t)
  const token = await newToken(t, data)
  const readOnly = await newToken(t, data, '--read-only')
  const server = await startServer(t, data)
  const v = version('x\n')
  const item = {path: 'x.cook', base: null, manifest: manifestOf(v)}
  const writes = await client(t, server.url, readOnly)
    .commit([item])
    .catch((error) => error)
  t.is(writes.code, 'E_FORBIDDEN')
  t.deepEqual(writes.data, {access: 'read-only'}, 'the refusal says why, so that a client can keep its edits and say so')
  t.is((await client(t, server.url, readOnly).changes(0)).head, 0)
  // Made and revoked while the server runs.
  const late = await newToken(t, data)
  t.is((await client(t, server.url, late).changes(0)).head, 0)
  t.is((await runServer(['token', '--data', data, '--revoke', late])).exitCode, 0)
  t.is(
    (
      (await client(t, server.url, late)
        .changes(0)
        .catch((error) => error)) as {code: string}
    ).code,
    'E_UNAUTHORIZED',
  )
  const unknown = await runServer(['token', '--data', data, '--revoke', late])
  t.is(unknown.exitCode, 1)
  t.is(String(unknown.stderr), 'error: no such token')
  t.is((await client(t, server.url, token).changes(0)).head, 0)
})

test('revoking a token ends its waiting long-poll at once with 401, and a commit made after does not reach it', async (t) => {
  const data = await tempDir(t)
  const writer = await newToken(t, data)
  const doomed = await newToken(t, data)
  const admin = await adminToken(t, data)
  const server = await startServer(t, data)
  await revocationEndsLongPoll(t, {url: server.url, writer, doomed, admin}, async () => {
    t.is((await runServer(['token', '--data', data, '--revoke', doomed])).exitCode, 0)
  })
})

test('one server per data folder: a second exits 3 naming the first; a lock left by a dead server is taken over', async (t) => {
  const data = await tempDir(t)
  const token = await newToken(t, data)
  const first = await startServer(t, data)
  const second = await runServer(['--data', data, '--port', '0'])
  t.is(second.exitCode, 3)
  t.is(String(second.stderr).trim(), `error: another sync-server (pid ${first.child.pid}) is serving the data folder ${data}; stop it first`)
  t.is((await client(t, first.url, token).changes(0)).head, 0, 'the first serves on')
  await first.stop()
  // A server killed outright leaves its lock; the pid in it is gone, so the next server takes it over.
  await writeFile(path.join(data, 'server.lock'), '2147483646\n')
  const next = await startServer(t, data)
  t.is((await client(t, next.url, token).changes(0)).head, 0)
})

test('fsck and token --revoke of a data folder that does not exist fail and create nothing', async (t) => {
  const missing = path.join(await tempDir(t), 'typo')
  const fsck = await runServer(['fsck', '--data', missing])
  t.is(fsck.exitCode, 1)
  t.is(String(fsck.stderr), `error: no sync-server data folder at ${missing}`)
  const revoke = await runServer(['token', '--data', missing, '--revoke', 'x'.repeat(43)])
  t.is(revoke.exitCode, 1)
  t.is(String(revoke.stderr), `error: no sync-server data folder at ${missing}`)
  await t.throwsAsync(readdir(missing), {code: 'ENOENT'})
})

test('fsck: clean data is exit 0; a damaged pack or a missing chunk is exit 6, named', async (t) => {
  const data = await tempDir(t)
  const token = await newToken(t, data)
  const server = await startServer(t, data)
  const v = version(...Array.from({length: 200}, (_, i) => `line ${i} of a long recipe, with words\n`))
  const [result] = await client(t, server.url, token).commit([{path: 'a.cook', base: null, manifest: manifestOf(v)}], {inline: inlineOf(v)})
  t.is(result.status, 'committed')
  await server.stop()
  const clean = await runServer(['fsck', '--data', data])
  t.is(clean.exitCode, 0)
  t.regex(String(clean.stdout), /^home: 200 chunks in 1 blocks in 1 packs, 0 damaged; 1 files, 0 incomplete$/)
  const packs = path.join(data, 'chunks', 'home', 'packs')
  const [pack] = await readdir(packs)
  const bytes = await readFile(path.join(packs, pack))
  bytes[1024] ^= 0xff
  await writeFile(path.join(packs, pack), bytes)
  const damaged = await runServer(['fsck', '--data', data])
  t.is(damaged.exitCode, 6)
  t.regex(String(damaged.stdout), /home: damaged [0-9a-f]{64} in pack/)
  await rm(path.join(data, 'chunks', 'home'), {recursive: true})
  const lost = await runServer(['fsck', '--data', data])
  t.is(lost.exitCode, 6)
  t.regex(String(lost.stdout), /home: a\.cook \(JID 1\) lacks 200 chunks/)
})

test('usage: --help for each verb, bad flags exit 2, env sets the flags, a port in use is one line and exit 1', async (t) => {
  for (const args of [['--help'], ['token', '--help'], ['fsck', '--help']]) {
    const help = await runServer(args)
    t.is(help.exitCode, 0)
    t.regex(String(help.stdout), /Usage: sync-server[\s\S]*Examples:/)
  }
  const bad = await runServer(['--nope'])
  t.is(bad.exitCode, 2)
  t.regex(String(bad.stderr), /^error: .*--nope/)
  t.is((await runServer(['token', '--data', '/tmp/x'])).exitCode, 2)
  t.is((await runServer(['token', '--data', await tempDir(t), '--namespace', '../etc'])).exitCode, 2)
  t.is((await runServer(['--port', '70000'])).exitCode, 2)
  const data = await tempDir(t)
  const fromEnv = await startServer(t, data, {SYNC_SERVER_DATA: data})
  t.regex(fromEnv.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  const taken = net.createServer()
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  t.teardown(() => taken.close())
  const inUse = await runServer(['--data', await tempDir(t), '--port', String((taken.address() as net.AddressInfo).port)])
  t.is(inUse.exitCode, 1)
  t.regex(String(inUse.stderr), /^error: cannot listen: .*EADDRINUSE[^\n]*$/)
})

test('metrics count the bytes of HTTP/2 requests: numbers, about what the client counted on its side', async (t) => {
  const data = await tempDir(t)
  const token = await newToken(t, data)
  const admin = await adminToken(t, data)
  const server = await startServer(t, data)
  const journal = client(t, server.url, token)
  const v = version('one line\n')
  await journal.commit([{path: 'x.cook', base: null, manifest: manifestOf(v)}], {inline: inlineOf(v)})
  for (let i = 0; i < 3; i++) await journal.changes(0, {inline: 65536})
  const {sent, received} = journal.traffic()
  const metrics = await (await fetch(`${server.url}/metrics`, {headers: {Authorization: `Bearer ${admin}`}})).text()
  const total = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1])
  const inbound = total('sync_http_received_bytes_total')
  const outbound = total('sync_http_sent_bytes_total')
  // The server counts a request's bytes when it has answered it: frames after the last answer are not in yet.
  t.true(inbound <= sent && inbound >= 0.8 * sent, `server read ${inbound} bytes, the client sent ${sent}`)
  t.true(outbound <= received && outbound >= 0.8 * received, `server wrote ${outbound} bytes, the client received ${received}`)
})

test('a data folder records its format when it is made, and one of a newer format is refused at start (exit 17, one line)', async (t) => {
  const data = await tempDir(t)
  await newToken(t, data)
  const env = openEnv(path.join(data, 'db'))
  const meta = env.openDB<number, string>({name: 'data-meta'})
  t.is(meta.get('format'), 3, 'recorded when the folder was made')
  await env.transaction(() => meta.putSync('format', 4))
  await env.close()
  const refused = await runServer(['--data', data, '--port', '0'])
  t.is(refused.exitCode, 17)
  t.is(
    String(refused.stderr),
    `error: the sync-server data folder ${data} was written by a newer version of sync (format 4; this one reads up to 3): update sync, then run again`,
  )
})

test('a data folder of format 1 (before trees) is taken and upgraded in place', async (t) => {
  const data = await tempDir(t)
  await newToken(t, data)
  const env = openEnv(path.join(data, 'db'))
  const meta = env.openDB<number, string>({name: 'data-meta'})
  await env.transaction(() => meta.putSync('format', 1))
  await env.close()
  await newToken(t, data)
  const again = openEnv(path.join(data, 'db'))
  t.is(again.openDB<number, string>({name: 'data-meta'}).get('format'), 3, "and stamped with today's format")
  await again.close()
})

test('sync-server --version prints its version and the protocols it serves; a --latest-client that is no version exits 2', async (t) => {
  const version = await runServer(['--version'])
  t.is(version.exitCode, 0)
  t.regex(String(version.stdout), /^sync-server \d+\.\d+\.\d+ \(protocol 2, and 1 read-only\)\n?$/)
  const bad = await runServer(['--data', await tempDir(t), '--latest-client', 'soon'])
  t.is(bad.exitCode, 2)
  t.regex(String(bad.stderr), /invalid --latest-client 'soon': expected a version such as 1\.2\.3/)
})

test('the server tells its operator on stderr: started, refused tokens, stopping and stopped', async (t) => {
  const data = await tempDir(t)
  await newToken(t, data)
  const server = await startServer(t, data)
  const refused = await fetch(`${server.url}/v1/ns/home/changes?since=0`, {headers: {Authorization: 'Bearer not-a-token'}})
  t.is(refused.status, 401)
  const exit = await server.stop()
  t.is(exit.exitCode, 0)
  const lines = String(exit.stderr)
    .trim()
    .split('\n')
    .map((line) => line.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, ''))
  t.regex(lines[0], new RegExp(`^started: serving ${data} on http://127\\.0\\.0\\.1:\\d+ \\(pid ${server.child.pid}\\)$`))
  t.regex(lines[1], /^401 E_UNAUTHORIZED GET \/v1\/ns\/home\/changes from \S+: /)
  t.deepEqual(lines.slice(2), ['stopping (SIGTERM): answering what is in flight', 'stopped'])
})
