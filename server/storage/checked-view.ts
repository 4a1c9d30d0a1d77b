/**
 * A transaction's view that refuses reads outside its read set, on every backend: a backend that loads the read
 * set up front (PostgreSQL) would otherwise answer such a read wrongly, and only there.
 */
import type {JournalView, ReadSet} from './types.js'

export function checkedView(reads: ReadSet, view: JournalView): JournalView {
  let appends = 0
  return {
    head(path) {
      if (!reads.heads.has(path)) throw new Error(`read of ${JSON.stringify(path)}'s head outside the transaction's read set`)
      return view.head(path)
    },
    presentUnder(path, except) {
      if (!reads.under.has(path)) throw new Error(`read under ${JSON.stringify(path)} outside the transaction's read set`)
      return view.presentUnder(path, except)
    },
    append(entry) {
      if (++appends > reads.appends) throw new Error(`more than the ${reads.appends} appends the transaction declared`)
      return view.append(entry)
    },
  }
}
