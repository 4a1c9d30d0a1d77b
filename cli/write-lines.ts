/** Writes many lines to stdout in large pieces, respecting back-pressure (ids of a 100 MB file are 120 MB of text). */
const PIECE = 64 * 1024

export async function writeLines(lines: Iterable<string>, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  let piece = ''
  for (const line of lines) {
    piece += `${line}\n`
    if (piece.length >= PIECE) {
      await write(out, piece)
      piece = ''
    }
  }
  if (piece.length > 0) await write(out, piece)
}

/** Writes one piece, resolving once `out` takes more. */
export function write(out: NodeJS.WritableStream, piece: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(piece)) resolve()
    else {
      out.once('drain', resolve)
      out.once('error', reject)
    }
  })
}
