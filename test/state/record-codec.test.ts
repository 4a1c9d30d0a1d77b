/** Path records as stored: every combination round-trips, equal manifests are stored once and shared. */
import {createHash} from 'node:crypto'
import test from 'ava'
import {IdList} from '#src/chunk/id-list.js'
import {sha256Hex} from '#src/chunk/hash.js'
import {CorruptDataError, UnknownFormatError} from '#src/errors/index.js'
import {fileManifest, manifestsEqual, type Manifest} from '#src/manifest/manifest.js'
import type {LocalVersion, PathRecord} from '#src/state/path-record.js'
import {decodeRecord, encodeRecord, isSettled, type ManifestSource, type StoredRecord} from '#src/state/record-codec.js'
import {decodeManifest, encodeManifest} from '#src/manifest/manifest-codec.js'

function manifest(...lines: string[]): Manifest {
  return fileManifest(IdList.fromHex(lines.map((line) => sha256Hex(Buffer.from(line)))), lines.join('').length)
}

function local(m: Manifest): LocalVersion {
  return {manifest: m, size: m.kind === 'file' ? m.size : 0, mtimeMs: 1700000000123.4568, ino: 42, ctimeMs: 1700000000123.4568, hashedAtMs: 1700000001000}
}

/** Encodes, keeping the manifests where decoding finds them (FolderState keeps them in LMDB). */
function encode(record: PathRecord): {stored: StoredRecord; source: ManifestSource} {
  const {stored, manifests} = encodeRecord(record)
  const byKey = new Map(manifests.map(({key, manifest}) => [key.toString('hex'), encodeManifest(manifest)]))
  return {
    stored,
    source: {
      read: (key) => {
        const bytes = byKey.get(key.toString('hex'))
        return bytes && decodeManifest(bytes)
      },
    },
  }
}

const roundTrip = (record: PathRecord) => {
  const {stored, source} = encode(record)
  return decodeRecord(stored, source)
}

const a = manifest('a\n', 'b\n')
const b = manifest('a\n', 'c\n')
const link: Manifest = {kind: 'symlink', target: '../x'}

const cases: [string, PathRecord][] = [
  ['all three equal (other objects)', {local: local(a), base: {jid: 3, manifest: manifest('a\n', 'b\n')}, remote: {jid: 3, manifest: manifest('a\n', 'b\n')}}],
  ['local edited', {local: local(b), base: {jid: 3, manifest: a}, remote: {jid: 3, manifest: a}}],
  ['remote ahead', {local: local(a), base: {jid: 3, manifest: a}, remote: {jid: 7, manifest: b}}],
  ['downloaded as it is (fromJournal)', {local: {...local(a), fromJournal: true}, base: {jid: 3, manifest: a}, remote: {jid: 3, manifest: a}}],
  ['remote equals local, base older', {local: local(b), base: {jid: 3, manifest: a}, remote: {jid: 7, manifest: b}}],
  ['deleted remotely', {local: local(a), base: {jid: 3, manifest: a}, remote: {jid: 8}}],
  ['deleted locally, move halves', {base: {jid: 3, manifest: a, movedFrom: 'old.cook'}, remote: {jid: 9, movedTo: 'new.cook'}}],
  ['symlinks', {local: local(link), base: {jid: 2, manifest: {kind: 'symlink', target: '../x'}}, remote: {jid: 2, manifest: link}}],
  ['empty file is not a deletion', {local: local(manifest()), base: {jid: 1, manifest: manifest()}, remote: {jid: 1, manifest: manifest()}}],
  ['unreadable, remote only', {remote: {jid: 4, manifest: b}, unreadable: 'permission denied'}],
]

for (const [name, record] of cases) {
  test(`round-trips: ${name}`, (t) => {
    const decoded = roundTrip(record)
    t.deepEqual(Object.keys(decoded).sort(), Object.keys(record).sort())
    for (const side of ['base', 'remote'] as const) {
      t.is(decoded[side]?.jid, record[side]?.jid)
      t.is(decoded[side]?.movedTo, record[side]?.movedTo)
      t.is(decoded[side]?.movedFrom, record[side]?.movedFrom)
      t.is(decoded[side]?.manifest === undefined, record[side]?.manifest === undefined, `${side}: a deletion stays a deletion`)
      t.true(manifestsEqual(decoded[side]?.manifest, record[side]?.manifest), side)
    }
    t.true(manifestsEqual(decoded.local?.manifest, record.local?.manifest))
    t.deepEqual({...decoded.local, manifest: undefined}, {...record.local, manifest: undefined})
    t.is(decoded.unreadable, record.unreadable)
  })
}

test('equal manifests are stored once and decoded as one object', (t) => {
  const record = cases[0][1]
  const {stored, source} = encode(record)
  t.is(stored.b?.k, undefined)
  t.is(stored.r?.k, undefined)
  t.is(encodeRecord(record).manifests.length, 1)
  const decoded = decodeRecord(stored, source)
  t.is(decoded.base!.manifest, decoded.local!.manifest)
  t.is(decoded.remote!.manifest, decoded.local!.manifest)
})

test("a manifest's key is the first 16 bytes of SHA-256 of its encoded bytes, as states already stored name it", (t) => {
  const m = manifest('Tomatoes\n', 'Basil\n', 'Salt\n')
  const [{key, manifest: named}] = encodeRecord({local: local(m)}).manifests
  t.is(named, m)
  t.deepEqual(key, createHash('sha256').update(encodeManifest(m)).digest().subarray(0, 16))
})

test('a remote equal to the base (local edited) refers to the base', (t) => {
  const {stored, source} = encode(cases[1][1])
  t.truthy(stored.l?.k)
  t.truthy(stored.b?.k)
  t.is(stored.r?.same, 'b')
  const decoded = decodeRecord(stored, source)
  t.is(decoded.remote!.manifest, decoded.base!.manifest)
})

test('manifests are read when first used, and a missing one is corrupt data then', (t) => {
  const {stored} = encode(cases[1][1])
  const reads: string[] = []
  const decoded = decodeRecord(stored, {read: (key) => void reads.push(key.toString('hex'))})
  t.deepEqual(reads, [], 'decoding reads no manifest')
  t.is(decoded.local!.size, 4)
  t.throws(() => decoded.base!.manifest, {instanceOf: CorruptDataError})
  t.deepEqual(reads, [stored.b!.k!.toString('hex')])
})

test('a reference to an absent manifest is corrupt data, never a deletion', (t) => {
  const none: ManifestSource = {read: () => undefined}
  t.throws(() => decodeRecord({r: {j: 5, same: 'l'}}, none), {instanceOf: CorruptDataError})
  t.throws(() => decodeRecord({l: encode(cases[0][1]).stored.l, r: {j: 5, same: 'b'}}, none), {instanceOf: CorruptDataError})
})

test('a record of a pre-release version (manifests inline, nanosecond strings) is refused with E_FORMAT, saying how to rebuild', (t) => {
  const inline = {l: {m: encodeManifest(a), s: 4, t: 1700000000123, i: 1, c: 1700000000123, h: 1700000001000}} as unknown as StoredRecord
  const nanoseconds = {
    l: {k: Buffer.alloc(16), s: 4, t: '1700000000123456789', i: '18446744073709', c: '1700000000987654321', h: '1700000001000000000'},
  } as unknown as StoredRecord
  for (const stored of [inline, nanoseconds, {r: {j: 7, m: encodeManifest(b)}} as unknown as StoredRecord]) {
    const error = t.throws(() => decodeRecord(stored, {read: () => undefined}), {instanceOf: UnknownFormatError})
    t.regex(error!.message, /pre-release version of sync .* move \.sync aside, run `sync init` here/)
  }
})

test('settled is read from the shape: one manifest at one JID, or one deletion with no file', (t) => {
  const settled = cases.filter(([, record]) => isSettled(encode(record).stored)).map(([name]) => name)
  t.deepEqual(settled, ['all three equal (other objects)', 'downloaded as it is (fromJournal)', 'symlinks', 'empty file is not a deletion'])
  t.true(isSettled(encode({base: {jid: 4}, remote: {jid: 4}}).stored))
  t.false(isSettled(encode({base: {jid: 4}, remote: {jid: 5}}).stored))
})
