/**
 * Child process for crash tests: writes batches of chunks to the store in argv[2] and flushes after each,
 * printing "durable <batch>" once a batch's flush has returned. The parent kills it at some point.
 */
import {mkdir} from 'node:fs/promises'
import path from 'node:path'
import {openEnv} from '#src/db/open-env.js'
import {ChunkStore} from '#src/store/chunk-store.js'
import {randomBytes} from './random.js'

const dir = process.argv[2]
await mkdir(path.join(dir, 'packs'), {recursive: true})
const env = openEnv(path.join(dir, 'db'))
const store = ChunkStore.open(env, path.join(dir, 'packs'))
for (let batch = 0; ; batch++) {
  for (let i = 0; i < 300; i++) store.add(Buffer.from(`batch ${batch} line ${i}\n`))
  store.add(randomBytes(30_000, batch))
  await store.flush()
  process.stdout.write(`durable ${batch}\n`)
}
