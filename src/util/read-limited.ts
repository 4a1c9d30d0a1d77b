/** Reads a stream (a request or response body) into one buffer, refusing to hold more than `limit` bytes. */
import {TooLargeError} from '../errors/index.js'

export async function readLimited(stream: AsyncIterable<Uint8Array>, limit: number, what: string): Promise<Buffer> {
  const parts: Buffer[] = []
  let total = 0
  for await (const part of stream) {
    total += part.length
    if (total > limit) throw new TooLargeError(what, limit)
    parts.push(Buffer.from(part.buffer, part.byteOffset, part.byteLength))
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts, total)
}
