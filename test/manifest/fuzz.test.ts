/** Decoders of stored and received structures against arbitrary input: typed errors or values that round-trip. */
import test from 'ava'
import {fc} from '../helpers/fast-check-seed.js'
import {IdList} from '#src/chunk/id-list.js'
import {CorruptDataError, InvalidInputError} from '#src/errors/index.js'
import {applyEdits, diffIds} from '#src/manifest/edits.js'
import {decodeManifest, encodeManifest} from '#src/manifest/manifest-codec.js'
import {editsFromWire, manifestFromWire, manifestToWire} from '#src/manifest/wire.js'
import {decodeBlock} from '#src/store/block.js'

function typed<T>(work: () => T, ...classes: (new (...args: never[]) => Error)[]): T | undefined {
  try {
    return work()
  } catch (error) {
    if (classes.some((c) => error instanceof c)) return undefined
    throw error
  }
}

test('manifest bytes: CorruptDataError, or a manifest that encodes back to the same bytes', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({maxLength: 200}), (bytes) => {
      const manifest = typed(() => decodeManifest(bytes), CorruptDataError)
      if (manifest && !encodeManifest(manifest).equals(Buffer.from(bytes))) throw new Error('decoded a manifest that does not encode back')
    }),
    {numRuns: 3000},
  )
  t.pass()
})

test('a stored symlink target that is not UTF-8 is corrupt data, not a changed target (found by the test above)', (t) => {
  t.throws(() => decodeManifest(Uint8Array.from([1, 2, 0x80])), {instanceOf: CorruptDataError})
  t.deepEqual(decodeManifest(encodeManifest({kind: 'symlink', target: 'Rezepte/Käse.cook'})), {kind: 'symlink', target: 'Rezepte/Käse.cook'})
})

test('block bytes: CorruptDataError, or a block whose lengths add up', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({maxLength: 300}), (bytes) => {
      const block = typed(() => decodeBlock(Buffer.from(bytes)), CorruptDataError)
      if (block && block.lengths.reduce((n, l) => n + l, 0) + block.offsets[0] !== bytes.length && block.count > 0) throw new Error('lengths do not add up')
    }),
    {numRuns: 3000},
  )
  t.pass()
})

test('wire manifests and edits of any shape: InvalidInputError, or values that survive a round trip', (t) => {
  fc.assert(
    fc.property(fc.anything(), (value) => {
      const manifest = typed(() => manifestFromWire(value), InvalidInputError)
      if (manifest) typed(() => manifestFromWire(JSON.parse(JSON.stringify(manifestToWire(manifest)))))
      typed(() => editsFromWire(value), InvalidInputError)
    }),
    {numRuns: 3000},
  )
  t.pass()
})

test('edit scripts: any diff applies back exactly; ops that do not fit are refused', (t) => {
  const ids = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), {maxLength: 12}).map((keys) => IdList.fromHex(keys.map((k) => k.repeat(64))))
  fc.assert(
    fc.property(ids, ids, (from, to) => {
      if (!applyEdits(from, diffIds(from, to)).equals(to)) throw new Error('diff did not apply back')
    }),
    {numRuns: 2000},
  )
  fc.assert(
    fc.property(ids, fc.array(fc.record({at: fc.integer({min: -2, max: 14}), remove: fc.integer({min: -2, max: 14})}), {maxLength: 3}), (from, ops) => {
      typed(
        () =>
          applyEdits(
            from,
            ops.map((op) => ({...op, insert: IdList.fromHex([])})),
          ),
        InvalidInputError,
      )
    }),
    {numRuns: 2000},
  )
  t.pass()
})
