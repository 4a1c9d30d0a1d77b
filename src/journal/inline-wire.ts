/**
 * Chunk bytes carried inside a JSON body (docs/protocol.md, `inline`): chunks that are valid UTF-8 travel as
 * text in `inlineText` (a recipe line costs about its own length, not 4/3 of it), any others as base64 in
 * `inline`. No ids travel with them: a chunk's id is the SHA-256 of its bytes, which the receiver computes
 * anyway to check them, so an id on the wire would only be 66 more bytes per chunk.
 */
import {isUtf8} from 'node:buffer'

export interface InlineWire {
  inline?: string[]
  inlineText?: string[]
}

export function inlineToWire(chunks: Iterable<Uint8Array>): InlineWire {
  const inline: string[] = []
  const inlineText: string[] = []
  for (const chunk of chunks) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    if (isUtf8(bytes)) inlineText.push(bytes.toString('utf8'))
    else inline.push(bytes.toString('base64'))
  }
  return {...(inline.length > 0 ? {inline} : {}), ...(inlineText.length > 0 ? {inlineText} : {})}
}

/** The bytes of the chunks, base64 ones first. Shapes are the caller's to check (strings in lists). */
export function inlineFromWire(wire: InlineWire): Buffer[] {
  return [...(wire.inline ?? []).map((base64) => Buffer.from(base64, 'base64')), ...(wire.inlineText ?? []).map((text) => Buffer.from(text, 'utf8'))]
}

/** Each chunk's position in the order inlineFromWire reads them (base64 ones first), by id: what edit refs name. */
export function inlinePositions(chunks: ReadonlyMap<string, Uint8Array>): Map<string, number> {
  const entries = [...chunks]
  const ordered = [...entries.filter(([, bytes]) => !isUtf8(bytes)), ...entries.filter(([, bytes]) => isUtf8(bytes))]
  return new Map(ordered.map(([id], at) => [id, at]))
}
