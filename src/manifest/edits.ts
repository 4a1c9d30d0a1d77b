/**
 * Edit scripts between two id lists, so that a one-line change to a 1 MB file travels as one id, not fifteen
 * thousand. An op [at, remove, insert] replaces `remove` ids starting at `at` in the old list with `insert`;
 * ops are in ascending order of `at` and do not overlap. The diff keeps the common prefix and suffix and
 * replaces the middle: one op, optimal for a single edit, and never larger than the new list itself.
 */
import {ID_BYTES} from '../chunk/chunk-id.js'
import {IdList} from '../chunk/id-list.js'
import {InvalidInputError} from '../errors/index.js'

export interface EditOp {
  at: number
  remove: number
  insert: IdList
}

export function diffIds(from: IdList, to: IdList): EditOp[] {
  const a = from.toBuffer()
  const b = to.toBuffer()
  const n = from.length
  const m = to.length
  let prefix = 0
  while (prefix < n && prefix < m && a.compare(b, prefix * ID_BYTES, (prefix + 1) * ID_BYTES, prefix * ID_BYTES, (prefix + 1) * ID_BYTES) === 0) prefix++
  let suffix = 0
  while (
    suffix < n - prefix &&
    suffix < m - prefix &&
    a.compare(b, (m - suffix - 1) * ID_BYTES, (m - suffix) * ID_BYTES, (n - suffix - 1) * ID_BYTES, (n - suffix) * ID_BYTES) === 0
  )
    suffix++
  if (prefix === n && prefix === m) return []
  return [{at: prefix, remove: n - prefix - suffix, insert: IdList.fromBuffer(Buffer.from(b.subarray(prefix * ID_BYTES, (m - suffix) * ID_BYTES)))}]
}

export function applyEdits(from: IdList, ops: readonly EditOp[]): IdList {
  const source = from.toBuffer()
  const parts: Buffer[] = []
  let cursor = 0
  for (const op of ops) {
    if (!Number.isSafeInteger(op.at) || !Number.isSafeInteger(op.remove) || op.at < cursor || op.remove < 0 || op.at + op.remove > from.length) {
      throw new InvalidInputError(`edit op [${op.at}, ${op.remove}] does not fit a list of ${from.length} ids (ops must ascend and not overlap)`)
    }
    parts.push(source.subarray(cursor * ID_BYTES, op.at * ID_BYTES), op.insert.toBuffer())
    cursor = op.at + op.remove
  }
  parts.push(source.subarray(cursor * ID_BYTES))
  return IdList.fromBuffer(Buffer.concat(parts))
}

/** The ids `ops` insert, in one list. */
export function insertedIds(ops: readonly EditOp[]): IdList {
  const list = new IdList(0)
  for (const op of ops) list.append(op.insert)
  return list
}
