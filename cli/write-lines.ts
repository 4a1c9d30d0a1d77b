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

function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(text)) resolve()
    else {
      out.once('drain', resolve)
      out.once('error', reject)
    }
  })
}
