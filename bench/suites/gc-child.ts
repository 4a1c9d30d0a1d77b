/**
 * Child of the gc suite (gc.ts): collects the store in argv[2], keeping every tenth chunk, and prints its time and
 * peak RSS as JSON. A process of its own, so that the peak is the collection's alone.
 */
import path from 'node:path'
import {openEnv} from '#src/db/open-env.js'
import {collectGarbage} from '#src/store/collect-garbage.js'
import {ChunkStore} from '#src/store/chunk-store.js'

const dir = process.argv[2]
const env = openEnv(path.join(dir, 'db'))
const store = ChunkStore.open(env, path.join(dir, 'packs'))
const started = performance.now()
const report = await collectGarbage(
  store,
  {
    async mark(marks) {
      for (let entry = 0; entry < marks.index.size; entry += 10) marks.markHex(marks.index.idOf(entry))
    },
    exclusive: (work) => work(),
    async markLate() {},
  },
  {graceMs: 0, rewriteBelow: 0.5},
)
const ms = performance.now() - started
await store.close()
await env.close()
process.stdout.write(`${JSON.stringify({ms, maxRssMb: process.resourceUsage().maxRSS / 1024, ...report})}\n`)
