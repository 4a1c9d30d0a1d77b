/**
 * A file's pieces, read, cut and hashed on this thread: for files too small to be worth a worker (most are a
 * few KB and one piece). The piece is reused: it stays valid until the caller asks for the next one.
 */
import {CDC} from '../chunk/cdc.js'
import {cutModeOf} from '../chunk/cut.js'
import type {FileKind} from '../chunk/file-kind.js'
import {IdList} from '../chunk/id-list.js'
import {type Piece, type ReadPiece, PieceHasher} from '../chunk/piece-hasher.js'
import {FileAccessError} from '../errors/index.js'
import {readAt as readFd} from './read-fd.js'
import type {OpenFile} from './open-file.js'

const READ_BYTES = 1024 * 1024

export async function* piecesInThread(file: Pick<OpenFile, 'path' | 'fd' | 'size'>, kind: FileKind): AsyncGenerator<ReadPiece> {
  const {size} = file
  const hasher = new PieceHasher(cutModeOf(kind, size))
  // Sized for the file: a small file gets a small buffer (from node's pool) and is read at once.
  const piece: Piece = {
    bytes: Buffer.allocUnsafe(Math.min(READ_BYTES + CDC.max, size)),
    count: 0,
    lengths: new Uint32Array(Math.min(1024, Math.ceil(size / 32) + 1)),
    ids: new IdList(Math.min(64, Math.ceil(size / 40) + 1)),
  }
  // Reading stops at the size the file had when opened (no extra read for EOF): a file that grew or changed
  // meanwhile shows in the stat the caller takes afterwards.
  for (let position = 0; position < size;) {
    hasher.begin(piece.bytes)
    const at = hasher.pending
    const read = await readAt(file, piece.bytes, at, Math.min(piece.bytes.length - at, size - position), position)
    if (read === 0) return
    position += read
    hasher.cut(piece, at + read, position === size)
    // One piece, read again when the next is asked for: nothing to release.
    yield {piece, read, release: () => undefined}
  }
}

// A small file's read is made on this thread (read-fd.ts): a one-line edit's file is read this way on its way to the server.
async function readAt(file: Pick<OpenFile, 'path' | 'fd'>, into: Buffer, at: number, length: number, position: number): Promise<number> {
  try {
    return await readFd(file.fd, into, at, length, position)
  } catch (error) {
    throw FileAccessError.from(file.path, error) ?? error
  }
}
