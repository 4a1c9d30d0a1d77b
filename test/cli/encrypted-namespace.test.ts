/**
 * An end-to-end encrypted namespace through the real CLI and a real sync-server on a loopback port: two devices made with
 * `sync init --encrypt` keep a folder equal with `sync once` (create, edit, delete, move, a conflicting edit merged
 * line-wise, a binary file, a link), while the server's data folder holds neither a planted line nor a file name (a
 * plain namespace's beside it holds both, so the grep can see them); a wrong passphrase and a plain `init` are
 * refused; a chunk that does not open is refused by name and nothing of its version is written; two daemons
 * keep an encrypted folder equal too.
 */
import {mkdir, readFile, readdir, readlink, rename, rm, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test, {type ExecutionContext} from 'ava'
import {sealChunk} from '#src/crypto/sealed-chunks.js'
import {sealPath} from '#src/crypto/sealed-names.js'
import {subKeys} from '#src/crypto/sub-keys.js'
import {EXIT} from '#src/errors/index.js'
import {readFolderKey} from '#src/folder/folder-key.js'
import {SEALED_USER_AGENT} from '#src/journal/user-agent.js'
import {idsToWire} from '#src/manifest/wire.js'
import {IdList} from '#src/chunk/id-list.js'
import {sha256Hex} from '#src/chunk/hash.js'
import {encodePack} from '#src/protocol/wire-pack/encode.js'
import {startTestServer} from '../helpers/server.js'
import {runSync, text} from '../helpers/cli.js'
import {randomBytes} from '../helpers/random.js'
import {startCliDaemon} from '../helpers/cli-daemon.js'
import {tempDir} from '../helpers/temp.js'
import {fileIs, waitFor} from '../helpers/wait-for.js'

const PASSPHRASE = {SYNC_PASSPHRASE: 'correct horse battery staple'}
const PLANTED = 'PLANTED-7f3a9c-a secret line'
const FOLDER_NAME = 'grandmothers-secret-folder'
const FILE_NAME = 'hidden-recipe-name.cook'
const RECIPE = `${FOLDER_NAME}/${FILE_NAME}`

async function setup(t: ExecutionContext) {
  const work = await tempDir(t)
  const server = await startTestServer(t)
  const data = server.dataDir
  const tokens = {vault: await server.token('vault'), plain: await server.token('plain')}
  const init = (name: string, namespace: 'vault' | 'plain', flags: string[] = [], env: Record<string, string> = PASSPHRASE) =>
    runSync(['init', path.join(work, name), '--server', server.url, '--namespace', namespace, '--token', tokens[namespace], '--device', name, ...flags], {env})
  const once = async (name: string) => {
    const result = await runSync(['once', '-C', path.join(work, name)])
    t.is(result.exitCode, 0, text(result.stderr))
  }
  return {work, data, server, tokens, init, once, root: (name: string) => path.join(work, name)}
}

/** A binary file holding the planted line among random bytes: stored uncompressed by a plain namespace's server. */
const photo = Buffer.concat([randomBytes(40_000, 1), Buffer.from(PLANTED), randomBytes(40_000, 2)])

async function plantFiles(root: string): Promise<void> {
  await mkdir(path.join(root, FOLDER_NAME), {recursive: true})
  await writeFile(path.join(root, RECIPE), `first line\n${PLANTED}\nthird line\n`)
  await writeFile(path.join(root, 'photo.jpg'), photo)
}

/** Every file of the server's data folder (LMDB files, packfiles), whole. */
async function dataBytes(dir: string): Promise<Buffer> {
  const files = (await readdir(dir, {recursive: true, withFileTypes: true})).filter((entry) => entry.isFile())
  return Buffer.concat(await Promise.all(files.map((entry) => readFile(path.join(entry.parentPath, entry.name)))))
}

test('two encrypted devices sync every kind of change with sync once, and the server holds no planted line and no name', async (t) => {
  const {init, once, root, data} = await setup(t)
  const created = await init('a', 'vault', ['--encrypt'])
  t.is(created.exitCode, 0, text(created.stderr))
  t.regex(text(created.stdout), /now end-to-end encrypted/)
  const joined = await init('b', 'vault', ['--encrypt'])
  t.is(joined.exitCode, 0, text(joined.stderr))
  t.regex(text(joined.stdout), /joined the encrypted namespace/)
  const [a, b] = [root('a'), root('b')]
  await plantFiles(a)
  await symlink(RECIPE, path.join(a, 'link'))
  await once('a')
  await once('b')
  t.is(await readFile(path.join(b, RECIPE), 'utf8'), `first line\n${PLANTED}\nthird line\n`)
  t.deepEqual(await readFile(path.join(b, 'photo.jpg')), photo)
  t.is(await readlink(path.join(b, 'link')), RECIPE)

  // A conflicting edit, line-wise apart: merged as in a plain namespace.
  await writeFile(path.join(a, RECIPE), `first line, edited on a\n${PLANTED}\nthird line\n`)
  await writeFile(path.join(b, RECIPE), `first line\n${PLANTED}\nthird line, edited on b\n`)
  await once('a')
  await once('b')
  await once('a')
  const merged = `first line, edited on a\n${PLANTED}\nthird line, edited on b\n`
  t.is(await readFile(path.join(a, RECIPE), 'utf8'), merged)
  t.is(await readFile(path.join(b, RECIPE), 'utf8'), merged)

  // A move and a deletion on b reach a.
  await rename(path.join(b, 'photo.jpg'), path.join(b, 'photo-moved.jpg'))
  await rm(path.join(b, 'link'))
  await once('b')
  await once('a')
  t.deepEqual((await readdir(a)).sort(), ['.sync', FOLDER_NAME, 'photo-moved.jpg'])
  t.deepEqual(await readFile(path.join(a, 'photo-moved.jpg')), photo)
  const status = await runSync(['status', '-C', a])
  t.regex(text(status.stdout), /end-to-end encrypted/)

  const stored = await dataBytes(data)
  for (const secret of [PLANTED, FOLDER_NAME, FILE_NAME, 'photo-moved']) t.is(stored.indexOf(secret), -1, `${secret} is in the server's data folder`)
})

test("a plain namespace's data folder holds the planted line and the names (the grep of the encrypted one can fail)", async (t) => {
  const {init, once, root, data} = await setup(t)
  t.is((await init('p', 'plain', [], {})).exitCode, 0)
  await plantFiles(root('p'))
  await once('p')
  const stored = await dataBytes(data)
  for (const secret of [PLANTED, FOLDER_NAME, FILE_NAME]) t.not(stored.indexOf(secret), -1, `${secret} is not in the server's data folder`)
})

test('two daemons keep an encrypted folder equal both ways', async (t) => {
  const {init, root} = await setup(t)
  t.is((await init('a', 'vault', ['--encrypt'])).exitCode, 0)
  t.is((await init('b', 'vault', ['--encrypt'])).exitCode, 0)
  await startCliDaemon(t, root('a'))
  await startCliDaemon(t, root('b'))
  await plantFiles(root('a'))
  await waitFor('the recipe on b', () => fileIs(path.join(root('b'), RECIPE), `first line\n${PLANTED}\nthird line\n`))
  await writeFile(path.join(root('b'), RECIPE), `first line\n${PLANTED}\nthird line, from b\n`)
  await waitFor('the edit on a', () => fileIs(path.join(root('a'), RECIPE), `first line\n${PLANTED}\nthird line, from b\n`))
  // The photo may come in a later pass than the recipe (the watcher saw it as a second batch): waited for too.
  const photoOnB = () =>
    readFile(path.join(root('b'), 'photo.jpg')).then(
      (bytes) => bytes.equals(photo),
      () => false,
    )
  await waitFor('the photo on b', photoOnB)
  t.true(await photoOnB())
})

test('a path too long to seal is refused at scan time and named by status; the other files go', async (t) => {
  const {init, root} = await setup(t)
  t.is((await init('a', 'vault', ['--encrypt'])).exitCode, 0)
  const deep = path.join(root('a'), ...Array.from({length: 4}, (_, i) => `${i}`.repeat(180)))
  await mkdir(deep, {recursive: true})
  await writeFile(path.join(deep, 'too-long.cook'), 'a line\n')
  await writeFile(path.join(root('a'), 'short.cook'), 'a line\n')
  const pass = await runSync(['once', '-C', root('a')])
  t.is(pass.exitCode, EXIT.notInSync, text(pass.stderr))
  t.regex(text(pass.stdout), /sent short\.cook/)
  t.regex(text((await runSync(['status', '-C', root('a')])).stdout), /too-long\.cook \(not sent: it is over 735 bytes, the most an encrypted namespace takes\)/)
})

test('a wrong passphrase is refused (exit 20) and no folder is made', async (t) => {
  const {init, root} = await setup(t)
  t.is((await init('a', 'vault', ['--encrypt'])).exitCode, 0)
  const wrong = await init('b', 'vault', ['--encrypt'], {SYNC_PASSPHRASE: 'wrong horse'})
  t.is(wrong.exitCode, EXIT.wrongPassphrase)
  t.regex(text(wrong.stderr), /passphrase/)
  await t.throwsAsync(readdir(root('b')))
})

test('init without --encrypt on an encrypted namespace is refused, saying to add it; --encrypt on a namespace with files too; a mount of an encrypted namespace too', async (t) => {
  const {init, once, root, tokens} = await setup(t)
  t.is((await init('a', 'vault', ['--encrypt'])).exitCode, 0)
  const plain = await init('b', 'vault', [], {})
  t.is(plain.exitCode, EXIT.rejected)
  t.regex(text(plain.stderr), /end-to-end encrypted: join it with 'sync init --encrypt'/)
  t.is((await init('p', 'plain', [], {})).exitCode, 0)
  await plantFiles(root('p'))
  await once('p')
  const late = await init('q', 'plain', ['--encrypt'])
  t.is(late.exitCode, EXIT.rejected)
  t.regex(text(late.stderr), /has files already/)
  const mounted = await runSync(['mount', 'vault', 'vault-here', '--token', tokens.vault, '-C', root('p')])
  t.is(mounted.exitCode, EXIT.rejected)
  t.regex(text(mounted.stderr), /end-to-end encrypted: it cannot be mounted yet/)
})

test('a version whose chunk does not open is refused by name and not written; the rest of the pass goes on', async (t) => {
  const {init, once, root, server} = await setup(t)
  t.is((await init('a', 'vault', ['--encrypt'])).exitCode, 0)
  t.is((await init('b', 'vault', ['--encrypt'])).exitCode, 0)
  await plantFiles(root('a'))
  await once('a')
  // Another writer of the namespace (or a server) with the names' key but a chunk changed after sealing: its id is
  // that of the changed bytes, so the server takes it; only the seal can tell.
  const keys = subKeys(await readFolderKey(path.join(root('a'), '.sync', 'keys.json')))
  const sealed = sealChunk(Buffer.from('tampered line\n'), keys)
  sealed.bytes[20] ^= 1
  const changed = {id: sha256Hex(sealed.bytes), bytes: sealed.bytes}
  const headers = {Authorization: `Bearer ${(await readConfig(root('a'))).server.token}`, 'User-Agent': SEALED_USER_AGENT}
  const pack = await fetch(`${server.url}/v1/ns/vault/packs`, {
    method: 'POST',
    headers: {...headers, 'Content-Type': 'application/x-sync-pack'},
    body: new Uint8Array(await encodePack([changed])),
  })
  t.is(pack.status, 200)
  const manifest = {kind: 'file', size: changed.bytes.length, ids: idsToWire(IdList.fromHex([changed.id]))}
  const commit = await fetch(`${server.url}/v1/ns/vault/commit`, {
    method: 'POST',
    headers: {...headers, 'Content-Type': 'application/json'},
    body: JSON.stringify({items: [{path: sealPath('tampered.cook', keys), base: null, manifest}]}),
  })
  t.is(commit.status, 200)

  const pass = await runSync(['once', '-C', root('b')])
  t.is(pass.exitCode, EXIT.notInSync, text(pass.stderr))
  await t.throwsAsync(readFile(path.join(root('b'), 'tampered.cook')))
  t.deepEqual(await readFile(path.join(root('b'), 'photo.jpg')), photo)
  const status = text((await runSync(['status', '-C', root('b')])).stdout)
  t.regex(status, /tampered\.cook \(refused from the server: tampered\.cook: .*does not open with this folder's key/)
})

async function readConfig(root: string): Promise<{server: {token: string}}> {
  return JSON.parse(await readFile(path.join(root, '.sync', 'config.json'), 'utf8'))
}
