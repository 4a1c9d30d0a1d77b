/** A namespace on a real in-process server, with what GC tests do to it: upload, commit, collect, measure. */
import type {ExecutionContext} from 'ava'
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {encodePack} from '#src/protocol/wire-pack/encode.js'
import type {PackChunk} from '#src/protocol/wire-pack/pack-chunk.js'
import {fsckServer} from '#server/fsck.js'
import {runGc, type GcOptions} from '#server/gc/run-gc.js'
import {DAY_MS} from '#server/gc/plan-retention.js'
import {testServer, type TestServer} from '../support/test-server.js'

export interface FileVersion {
  chunks: PackChunk[]
  manifest: {kind: 'file'; size: number; ids: string}
}

/** A file cut into chunks of `chunkBytes`. */
export function fileVersion(bytes: Buffer, chunkBytes = 16 * 1024): FileVersion {
  const chunks: PackChunk[] = []
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    const chunk = bytes.subarray(at, at + chunkBytes)
    chunks.push({id: sha256Hex(chunk), bytes: chunk})
  }
  const ids = IdList.fromHex(chunks.map((chunk) => chunk.id))
  return {chunks, manifest: {kind: 'file', size: bytes.length, ids: ids.toBuffer().toString('base64')}}
}

export async function gcFixture(t: ExecutionContext) {
  const server: TestServer = await testServer(t)
  const api = server.as(await server.token('home'))
  const heads = new Map<string, number>()
  const fixture = {
    server,
    api,
    async upload(chunks: PackChunk[]): Promise<void> {
      const res = await api
        .post('/v1/ns/home/packs')
        .set('Content-Type', 'application/x-sync-pack')
        .send(await encodePack(chunks))
      t.is(res.status, 200, JSON.stringify(res.body))
    },
    /** Commits items and returns their results; remembers each committed path's head. */
    async commit(items: {path: string; manifest?: unknown; deleted?: true; from?: {path: string; base: number}}[]) {
      const body = {device: 'laptop', items: items.map((item) => ({base: heads.get(item.path) ?? null, ...item}))}
      const res = await api.post('/v1/ns/home/commit').send(body)
      t.is(res.status, 200, JSON.stringify(res.body))
      const results = res.body.results as {status: string; jid: number; ids?: string[]}[]
      results.forEach((result, i) => {
        if (result.status === 'committed') {
          heads.set(items[i].path, result.jid)
          if (items[i].from) heads.set(items[i].from!.path, result.jid)
        }
      })
      return results
    },
    async put(path: string, version: FileVersion): Promise<number> {
      await fixture.upload(version.chunks)
      const [result] = await fixture.commit([{path, manifest: version.manifest}])
      t.is(result.status, 'committed', JSON.stringify(result))
      return result.jid
    },
    /** GC as if `days` had passed since the commits; packs are collectable at once. */
    gc(days: number, options: GcOptions = {}) {
      return runGc(server.storage, {now: Date.now() + days * DAY_MS, graceMs: 0, ...options})
    },
    /** Bytes of the namespace's packs (on any backend: what its storage says they take). */
    async packBytes(): Promise<number> {
      return (await (await server.storage.chunks.namespace('home')).usage()).bytes
    },
    async fsckClean(): Promise<void> {
      for (const check of await fsckServer(server.storage)) {
        t.deepEqual(check.damaged, [], `${check.namespace}: damaged`)
        t.deepEqual(check.incomplete, [], `${check.namespace}: incomplete heads`)
      }
    },
    async missing(ids: string[]): Promise<string[]> {
      return (await server.storage.chunks.namespace('home')).missing(ids)
    },
  }
  return fixture
}
