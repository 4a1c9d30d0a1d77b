/** Token records in LMDB: the records written before tokens had names still work, under a name from their hash. */
import {createHash} from 'node:crypto'
import {mkdir} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {openLmdbStorage} from '#server/storage/lmdb/open-lmdb-storage.js'
import {openEnv} from '#src/db/open-env.js'
import {FORMATS} from '#src/db/format-version.js'
import {tempDir} from '../../helpers/temp.js'

test('a token record made before names, admin tokens and last uses reads as it is: named after its hash, it works, lists, is used and revoked by that name', async (t) => {
  const dir = await tempDir(t)
  const token = 'Qm9yZWQgb2xkIHRva2VuIG1hZGUgYmVmb3JlIG5hbWVz'
  const hash = createHash('sha256').update(token).digest('hex')
  const name = `token-${hash.slice(0, 6)}`
  // The data folder as the first versions left it: format 1, a token record {namespace, readOnly, created}.
  await mkdir(path.join(dir, 'db'), {recursive: true})
  const env = openEnv(path.join(dir, 'db'))
  await env.transaction(() => {
    env.openDB<number, string>({name: 'data-meta'}).putSync('format', 1)
    env.openDB({name: 'namespaces'}).putSync('home', {created: 1_700_000_000_000})
    env.openDB({name: 'tokens'}).putSync(hash, {namespace: 'home', readOnly: true, created: 1_700_000_000_000})
  })
  await env.close()

  const storage = await openLmdbStorage(dir, {create: false})
  t.teardown(() => storage.close())
  const {tokens} = storage
  t.deepEqual(await tokens.lookup(token), {rights: 'read-only', namespace: 'home', name})
  t.deepEqual(await tokens.list(), [{rights: 'read-only', namespace: 'home', name, created: 1_700_000_000_000}])
  await tokens.markUsed(new Map([[token, 1_800_000_000_000]]))
  t.deepEqual(await tokens.list('home'), [{rights: 'read-only', namespace: 'home', name, created: 1_700_000_000_000, lastUsed: 1_800_000_000_000}])
  await tokens.markUsed(new Map([[token, 1_750_000_000_000]]))
  t.is((await tokens.list('home'))[0].lastUsed, 1_800_000_000_000, 'an older use does not replace a newer one')
  await t.throwsAsync(tokens.create({rights: 'read-write', namespace: 'home'}, name), {code: 'E_NAME_TAKEN'})
  t.is((await tokens.create({rights: 'read-write', namespace: 'work'}, name)).name, name, 'names are per namespace')
  t.false(await tokens.revokeByName(name, undefined), 'not an admin token')
  const counter = await tokens.revocations()
  t.true(await tokens.revokeByName(name, 'home'))
  t.is(await tokens.lookup(token), undefined)
  t.is(await tokens.revocations(), counter + 1, 'a running server sees the revocation')
  t.is(FORMATS.serverData, 3, 'old records read as they are: names needed no new format (format 2 is for tree manifests, 3 for staged chunks)')
})
