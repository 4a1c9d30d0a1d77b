/**
 * Chunk routes: which ids are missing, upload a pack (all verified before any is stored; durable when
 * answered), fetch a pack. A fetch answer holds at most `limits.fetchPack` chunk bytes: the ids that did not
 * fit are left out (always after the ones included), and the client asks again for them.
 */
import type {Context} from 'koa'
import {z} from 'zod'
import {parseChunkIds} from '#src/chunk/chunk-id.js'
import {MissingChunksError} from '#src/errors/index.js'
import {decodePack} from '#src/protocol/wire-pack/decode.js'
import {encodePack} from '#src/protocol/wire-pack/encode.js'
import {acceptsPackWithoutIds, PACK_TYPE, type PackChunk} from '#src/protocol/wire-pack/pack-chunk.js'
import {releaseDeadBuffers} from '#src/util/release-buffers.js'
import {authorize} from '../http/authorize.js'
import {Gate} from '../http/gate.js'
import {parseWith} from '../http/parse-with.js'
import {readBody, readJson} from '../http/read-json.js'
import {sendJson} from '../http/send-json.js'
import type {NamespaceChunks} from '../storage/types.js'
import type {Routes} from './route-deps.js'
import {steadyChunks} from '../storage/steady-chunks.js'

/** Packs being read or built at once. */
const PACKS_AT_ONCE = 4

async function* fittingChunks(chunks: NamespaceChunks, ids: string[], budget: number): AsyncIterable<PackChunk> {
  let used = 0
  for (const id of ids) {
    const length = (await chunks.length(id)) ?? 0
    if (used > 0 && used + length > budget) return
    used += length
    yield {id, bytes: await chunks.read(id)}
  }
}

export const chunkRoutes: Routes = (router, {storage, revocations, lastUsed, devices, sealed, quotas, metrics, limits}) => {
  const gate = new Gate(PACKS_AT_ONCE)
  const idsSchema = z.strictObject({ids: z.array(z.string()).max(limits.idsPerRequest)})
  const readIds = async (ctx: Context) => parseChunkIds(parseWith(idsSchema, await readJson(ctx, limits.jsonBody), 'request').ids)

  router.post('/v1/ns/:ns/chunks/missing', authorize({revocations, lastUsed, devices, sealed}, 'read'), async (ctx) => {
    const ids = await readIds(ctx)
    sendJson(ctx, {missing: await (await storage.chunks.namespace(ctx.params.ns)).missing(ids)})
  })

  router.post('/v1/ns/:ns/packs', authorize({revocations, lastUsed, devices, sealed}, 'write'), async (ctx) => {
    const chunks = await storage.chunks.namespace(ctx.params.ns)
    const {received, stored} = await gate.run(async () => {
      // The packs before this one (bodies, inflated tars) are garbage by now: their memory back before this one's.
      releaseDeadBuffers()
      const body = await readBody(ctx, limits.pack.maxCompressed, 'the pack')
      // The pack as sent is about what it takes on disk: its blocks are compressed as the store's are.
      await quotas.admit(ctx.params.ns, body.length)
      const pack = await decodePack(body, limits.pack)
      const added = await chunks.keepPresent(() =>
        steadyChunks(chunks, async () => {
          const stored = await chunks.add(pack)
          await chunks.flush()
          return stored
        }),
      )
      return {received: pack.length, stored: added}
    })
    metrics.chunksStored.inc(stored)
    sendJson(ctx, {received, stored})
  })

  router.post('/v1/ns/:ns/packs/fetch', authorize({revocations, lastUsed, devices, sealed}, 'read'), async (ctx) => {
    const ids = [...new Set(await readIds(ctx))]
    const chunks = await storage.chunks.namespace(ctx.params.ns)
    const missing = await chunks.missing(ids)
    if (missing.length > 0) throw new MissingChunksError(missing, 'this namespace')
    ctx.set('Content-Type', PACK_TYPE)
    const withIds = !acceptsPackWithoutIds(ctx.get('Accept'))
    ctx.body = await gate.run(() => {
      releaseDeadBuffers()
      return encodePack(fittingChunks(chunks, ids, limits.fetchPack), {ids: withIds})
    })
  })
}
