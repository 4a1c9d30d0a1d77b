/**
 * What revoking a token does to its waiting long-poll, on a running server (test/server/process.test.ts and
 * tokens.test.ts revoke it two ways): it is answered at once with 401, and nothing of a commit made after reaches it.
 */
import type {ExecutionContext} from 'ava'
import {IdList} from '#src/chunk/id-list.js'
import {JournalClient} from '#src/journal/journal-client.js'
import {fileManifest} from '#src/manifest/manifest.js'
import {waitFor} from '../../helpers/wait-for.js'
import {version} from './versions.js'

const get = (url: string, token: string) => fetch(url, {headers: {Authorization: `Bearer ${token}`}})

export async function revocationEndsLongPoll(
  t: ExecutionContext,
  tokens: {url: string; writer: string; doomed: string; admin: string},
  revoke: () => Promise<void>,
): Promise<void> {
  const {url, writer, doomed, admin} = tokens
  const started = Date.now()
  const poll = get(`${url}/v1/ns/home/changes?since=0&wait=30&inline=65536`, doomed)
  const waiting = async () => /^sync_longpoll_waiters 1$/m.test(await (await get(`${url}/metrics`, admin)).text())
  await waitFor('the long-poll to be waiting', waiting, 10_000)
  await revoke()
  const v = version('the new file, not for a revoked token\n')
  const client = new JournalClient({url, namespace: 'home', token: writer}, {timeoutMs: 10_000})
  t.teardown(() => client.close())
  await client.commit([{path: 'x.cook', base: null, manifest: fileManifest(IdList.fromHex(v.ids), v.size)}], {
    inline: new Map(v.chunks.map((c) => [c.id, c.bytes])),
  })
  const answer = await poll
  t.is(answer.status, 401)
  const body = await answer.text()
  t.notRegex(body, /x\.cook|bm90IGZvciBh/, 'nothing of the new file in the answer')
  t.is(JSON.parse(body).error.code, 'E_UNAUTHORIZED')
  t.true(Date.now() - started < 20_000, 'answered well before the wait ran out')
}
