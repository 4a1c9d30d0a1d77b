import test from 'ava'
import {hexToKey, keyToHex, sha256Hex, sha256Key} from '#src/chunk/hash.js'
import {parseChunkId, isChunkId} from '#src/chunk/chunk-id.js'
import {InvalidIdError} from '#src/errors/index.js'

test('chunk ids are SHA-256 in lowercase hex (FIPS 180-2 test vector)', (t) => {
  t.is(sha256Hex(Buffer.from('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  t.is(sha256Hex(Buffer.alloc(0)), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
})

test('keys and hex ids convert both ways', (t) => {
  const bytes = Buffer.from('Add @salt{1%tsp}.\n')
  const key = sha256Key(bytes)
  t.is(key.length, 32)
  t.is(keyToHex(key), sha256Hex(bytes))
  t.is(hexToKey(sha256Hex(bytes)), key)
})

test('ids are validated: 64 hex digits, normalised to lowercase', (t) => {
  const id = sha256Hex(Buffer.from('x'))
  t.is(parseChunkId(id.toUpperCase()), id)
  t.true(isChunkId(id))
  for (const bad of ['', 'abc', `${id}0`, id.slice(1), `${id.slice(0, 63)}g`, ` ${id.slice(1)}`]) {
    t.throws(() => parseChunkId(bad), {instanceOf: InvalidIdError})
  }
})
