/** The wire-pack reader against arbitrary and mutated bytes: typed errors or verified chunks, nothing else. */
import test from 'ava'
import {fc} from '../../helpers/fast-check-seed.js'
import {sha256Hex} from '#src/chunk/hash.js'
import {isSyncError} from '#src/errors/index.js'
import {decodePack} from '#src/protocol/wire-pack/decode.js'
import {encodePack} from '#src/protocol/wire-pack/encode.js'

const EXPECTED = new Set(['E_BAD_PACK', 'E_TOO_LARGE', 'E_CHUNK_MISMATCH'])

async function decodeOrTypedError(bytes: Uint8Array): Promise<void> {
  try {
    const chunks = await decodePack(Buffer.from(bytes))
    for (const {id, bytes: chunk} of chunks) if (sha256Hex(chunk) !== id) throw new Error(`decoded a chunk that does not match ${id}`)
  } catch (error) {
    if (!isSyncError(error) || !EXPECTED.has(error.code)) throw error
  }
}

test('arbitrary bytes: a typed error, never a crash', async (t) => {
  await fc.assert(fc.asyncProperty(fc.uint8Array({maxLength: 4096}), decodeOrTypedError), {numRuns: 1000})
  t.pass()
})

test('mutated valid packs (flipped, cut, inserted bytes): a typed error or the right chunks', async (t) => {
  const chunks = Array.from({length: 40}, (_, i) => Buffer.from(`line ${i} of a recipe\n`))
  const valid = await encodePack(chunks.map((bytes) => ({id: sha256Hex(bytes), bytes})))
  const mutation = fc.oneof(
    fc.record({flip: fc.nat({max: valid.length - 1}), bit: fc.nat({max: 7})}),
    fc.record({cut: fc.nat({max: valid.length})}),
    fc.record({insert: fc.nat({max: valid.length}), bytes: fc.uint8Array({minLength: 1, maxLength: 16})}),
  )
  await fc.assert(
    fc.asyncProperty(fc.array(mutation, {minLength: 1, maxLength: 3}), async (mutations) => {
      let bytes = Buffer.from(valid)
      for (const m of mutations) {
        if ('flip' in m) bytes[Math.min(m.flip, bytes.length - 1)] ^= 1 << m.bit
        else if ('cut' in m) bytes = bytes.subarray(0, m.cut)
        else bytes = Buffer.concat([bytes.subarray(0, m.insert), m.bytes, bytes.subarray(m.insert)])
      }
      await decodeOrTypedError(bytes)
    }),
    {numRuns: 1000},
  )
  t.pass()
})
