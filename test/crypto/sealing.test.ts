/**
 * The sealing codec (src/crypto/): deterministic (equal plaintexts, equal sealed bytes), bound to its use and key,
 * padded to its buckets, and refusing any change with SealBrokenError; sealed paths within the protocol's rules up to
 * the longest plain path they take; the key derived from a passphrase and checked by its key check value.
 */
import test from 'ava'
import {sha256Hex} from '#src/chunk/hash.js'
import {chunkBucket, nameBucket} from '#src/crypto/padding.js'
import {derivePassphraseKey, newKdfParams} from '#src/crypto/passphrase-key.js'
import {openChunk, sealChunk} from '#src/crypto/sealed-chunks.js'
import {MAX_PLAIN_PATH_BYTES, openPath, openTarget, sealPath, sealTarget, unsealable} from '#src/crypto/sealed-names.js'
import {SEAL_OVERHEAD} from '#src/crypto/seal.js'
import {keyCheck, subKeys} from '#src/crypto/sub-keys.js'
import {SealBrokenError} from '#src/errors/index.js'
import {validatePath} from '#src/paths/validate-path.js'

const keys = subKeys(Buffer.alloc(32, 1))
const otherKeys = subKeys(Buffer.alloc(32, 2))

test('equal chunks seal to equal bytes (dedup), different ones to different bytes, and open back', (t) => {
  const a = sealChunk(Buffer.from('a line\n'), keys)
  t.deepEqual(sealChunk(Buffer.from('a line\n'), keys), a)
  t.not(sealChunk(Buffer.from('a line!\n'), keys).id, a.id)
  t.not(sealChunk(Buffer.from('a line\n'), otherKeys).id, a.id)
  t.is(openChunk(a.id, a.bytes, keys, 'x.cook').toString(), 'a line\n')
})

test('a sealed chunk is padded to its bucket: a recipe line tells only 32, 64 or 128 bytes', (t) => {
  for (const [length, bucket] of [
    [0, 32],
    [31, 32],
    [32, 64],
    [100, 128],
    [1023, 1024],
    [1024, 1280],
    [65536, 65792],
  ]) {
    t.is(chunkBucket(length + 1), bucket, `${length} bytes`)
    t.is(sealChunk(Buffer.alloc(length, 'x'), keys).bytes.length, SEAL_OVERHEAD + bucket)
  }
  t.is(nameBucket(17), 32)
})

test('a changed byte anywhere, another key, or another use does not open (SealBrokenError naming what)', (t) => {
  const {id, bytes} = sealChunk(Buffer.from('secret\n'), keys)
  for (let at = 0; at < bytes.length; at++) {
    const changed = Buffer.from(bytes)
    changed[at] ^= 1
    // Its id is re-computed, as a server that checks ids would have it: the seal itself must refuse.
    const error = t.throws(() => openChunk(sha256Hex(changed), changed, keys, 'x.cook'))
    t.true(error instanceof SealBrokenError, `byte ${at}`)
    t.regex(error!.message, /x\.cook/)
  }
  t.throws(() => openChunk(id, bytes, otherKeys, 'x.cook'), {instanceOf: SealBrokenError})
  t.throws(() => openChunk(id, Buffer.concat([bytes, Buffer.from([0])]), keys, 'x.cook'), {instanceOf: SealBrokenError, message: /does not hash/})
  // Chunk bytes posing as a path: the AAD (and the key) differ.
  t.throws(() => openPath(`e/${bytes.toString('base64url')}`, keys), {instanceOf: SealBrokenError})
})

test('a path seals into one opaque name (folders hidden), opens back, and a plain one is refused', (t) => {
  const sealed = sealPath('recipes/italian/pasta.cook', keys)
  t.regex(sealed, /^e\/[A-Za-z0-9_-]+$/)
  t.is(validatePath(sealed), undefined)
  t.is(sealPath('recipes/italian/pasta.cook', keys), sealed)
  t.is(openPath(sealed, keys), 'recipes/italian/pasta.cook')
  t.throws(() => openPath('recipes/italian/pasta.cook', keys), {instanceOf: SealBrokenError})
  t.throws(() => openPath(sealed, otherKeys), {instanceOf: SealBrokenError})
  t.is(openTarget(sealTarget('../x', keys), keys, 'link'), '../x')
  t.throws(() => openTarget('../x', keys, 'link'), {instanceOf: SealBrokenError, message: /link/})
})

test('the longest plain path an encrypted namespace takes seals within the protocol rules; one byte more is refused at scan time', (t) => {
  const folders = Math.floor((MAX_PLAIN_PATH_BYTES - 1) / 2)
  const longest = 'a/'.repeat(folders) + 'b'.repeat(MAX_PLAIN_PATH_BYTES - 2 * folders)
  t.is(Buffer.byteLength(longest), MAX_PLAIN_PATH_BYTES)
  t.is(unsealable(longest), undefined)
  const sealed = sealPath(longest, keys)
  t.is(validatePath(sealed), undefined, sealed.length.toString())
  t.is(openPath(sealed, keys), longest)
  t.regex(unsealable(`${longest}x`) ?? '', new RegExp(`over ${MAX_PLAIN_PATH_BYTES} bytes`))
})

test('a passphrase derives the same key from the same setting, and the key check tells a wrong one', async (t) => {
  const kdf = newKdfParams()
  t.is(Buffer.from(kdf.salt, 'base64').length, 16)
  const key = await derivePassphraseKey('correct horse', kdf)
  t.deepEqual(await derivePassphraseKey('correct horse', kdf), key)
  t.is(keyCheck(subKeys(key)), keyCheck(subKeys(await derivePassphraseKey('correct horse', {...kdf}))))
  t.not(keyCheck(subKeys(await derivePassphraseKey('wrong horse', kdf))), keyCheck(subKeys(key)))
  t.not(keyCheck(subKeys(await derivePassphraseKey('correct horse', newKdfParams()))), keyCheck(subKeys(key)))
})
