/** A real chunk store (real LMDB, real pack files) in a temp folder. */
import {mkdir} from 'node:fs/promises'
import path from 'node:path'
import type {ExecutionContext} from 'ava'
import type {RootDatabase} from 'lmdb'
import {openEnv} from '#src/db/open-env.js'
import {ChunkStore} from '#src/store/chunk-store.js'
import {tempDir} from './temp.js'

export interface TempStore {
  dir: string
  env: RootDatabase
  store: ChunkStore
  packs: string
  reopen(): Promise<TempStore>
}

export async function openStoreIn(t: ExecutionContext, dir: string): Promise<TempStore> {
  const packs = path.join(dir, 'packs')
  await mkdir(packs, {recursive: true})
  const env = openEnv(path.join(dir, 'db'))
  const store = ChunkStore.open(env, packs)
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await store.close()
    await env.close()
  }
  t.teardown(close)
  return {
    dir,
    env,
    store,
    packs,
    async reopen() {
      await close()
      return openStoreIn(t, dir)
    },
  }
}

export async function tempStore(t: ExecutionContext): Promise<TempStore> {
  return openStoreIn(t, await tempDir(t))
}
