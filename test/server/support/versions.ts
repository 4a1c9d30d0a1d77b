/** File versions for protocol tests: lines become chunks, with their ids, bytes and wire manifest. */
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {inlineFromWire, inlineToWire, type InlineWire} from '#src/journal/inline-wire.js'
import type {PackChunk} from '#src/protocol/wire-pack/pack-chunk.js'

export interface Version {
  ids: string[]
  chunks: PackChunk[]
  size: number
  /** The ids as one base64 string (docs/protocol.md, Conventions). */
  wireIds: string
  manifest: {kind: 'file'; size: number; ids: string}
  /** The chunks as a commit's inline fields (docs/protocol.md). */
  inline: InlineWire
}

export function version(...lines: (string | Buffer)[]): Version {
  const chunks = lines.map((line) => {
    const bytes = typeof line === 'string' ? Buffer.from(line) : line
    return {id: sha256Hex(bytes), bytes}
  })
  const ids = chunks.map((chunk) => chunk.id)
  const size = chunks.reduce((total, chunk) => total + chunk.bytes.length, 0)
  const wireIds = IdList.fromHex(ids).toBuffer().toString('base64')
  return {
    ids,
    chunks,
    size,
    wireIds,
    manifest: {kind: 'file', size, ids: wireIds},
    inline: inlineToWire(chunks.map((chunk) => chunk.bytes)),
  }
}

export const idsBase64 = (...ids: string[]): string => IdList.fromHex(ids).toBuffer().toString('base64')

/** The chunks of several versions as one commit's inline fields. */
export const inlineOf = (...versions: Version[]): InlineWire =>
  inlineToWire(new Map(versions.flatMap((v) => v.chunks.map((c) => [c.id, c.bytes] as const))).values())

/** The ids of the chunks an answer carries inline, sorted. */
export const inlineIds = (body: InlineWire): string[] => inlineFromWire(body).map(sha256Hex).sort()
