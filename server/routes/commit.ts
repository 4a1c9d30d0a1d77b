/** `POST /v1/ns/{ns}/commit`: a batch of items, each committed, unchanged, in conflict or missing chunks. */
import {entryToWire} from '#src/journal/entry-wire.js'
import type {Answer} from '#src/protocol/answers.js'
import {authorize} from '../http/authorize.js'
import {readJson} from '../http/read-json.js'
import {sendJson} from '../http/send-json.js'
import {crashPoint} from '#src/util/crash-point.js'
import {applyItems, readSetOf, type ItemOutcome} from '../commits/commit-rules.js'
import {checkSizes} from '../commits/check-sizes.js'
import {checkSealedForms} from '../commits/sealed-forms.js'
import {parseCommitRequest} from '../commits/commit-request.js'
import {resolveItems} from '../commits/resolve-items.js'
import {keepAsTrees, planChunks} from '../commits/tree-items.js'
import {VerifiedNodes} from '../commits/verified-nodes.js'
import type {Routes} from './route-deps.js'
import type {TokenGrant} from '../storage/types.js'
import {logger} from '#src/util/logger.js'

const debug = logger('server:commit')

/** `lean` (the client's User-Agent says so): a plain commit's result is its JID alone. */
function outcomeToWire(outcome: ItemOutcome, lean: boolean): Answer<'commit'>['results'][number] {
  if (outcome.status === 'conflict') return {status: 'conflict', head: entryToWire(outcome.head, 'full')}
  return lean && outcome.status === 'committed' && outcome.from === undefined ? outcome.jid : outcome
}

export const commitRoutes: Routes = (router, {storage, revocations, lastUsed, devices, sealed, quotas, waiters, metrics, limits}) => {
  const verifiedNodes = new VerifiedNodes()
  router.post('/v1/ns/:ns/commit', authorize({revocations, lastUsed, devices, sealed}, 'write'), async (ctx) => {
    const namespace = ctx.params.ns
    const request = parseCommitRequest(await readJson(ctx, limits.jsonBody), limits)
    if (ctx.state.encrypted) checkSealedForms(request)
    devices.named(ctx.state.grant as TokenGrant, request.device)
    await quotas.admit(
      namespace,
      request.inline.reduce((total, chunk) => total + chunk.bytes.length, 0),
    )
    const chunks = await storage.chunks.namespace(namespace)
    const items = await resolveItems(storage.journal, namespace, chunks, request.items)
    // Counting chunks present through naming them in the journal: no garbage collection drops one in between.
    const outcomes = await chunks.keepPresent(async () => {
      const recoveries = chunks.recoveries
      metrics.chunksStored.inc(await chunks.add(request.inline))
      const planned = await planChunks(items, chunks, verifiedNodes.of(namespace, chunks))
      await checkSizes(planned, chunks)
      metrics.chunksStored.inc(await keepAsTrees(planned, chunks))
      const stamp = {device: request.device, time: Date.now()}
      // Every chunk counted present here is durable once the entries naming it are (with them, or before them).
      return storage.journal.transact(namespace, readSetOf(planned), (view) => applyItems(view, planned, stamp), {store: chunks, recoveries})
    })
    let committed = 0
    let newest = 0
    for (const outcome of outcomes) {
      metrics.commitItems.inc({status: outcome.status})
      if (outcome.status !== 'committed') continue
      committed++
      newest = Math.max(newest, outcome.jid)
    }
    if (committed > 0) {
      metrics.entries.inc(committed)
      waiters.wake(namespace, request.client)
      storage.feed?.publish({namespace, jid: newest, client: request.client}).catch((error) => debug('cannot tell other instances of a commit: %O', error))
    }
    crashPoint('after-commit-before-response')
    sendJson(ctx, {results: outcomes.map((outcome) => outcomeToWire(outcome, ctx.state.lean === true))})
  })
}
