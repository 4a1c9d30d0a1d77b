/**
 * What a page of the journal must say of its place in it (docs/protocol.md). A `changes` page ends at or after
 * where it was asked from, lists entries after that point and up to its end, in JID order, and moves on when it
 * says more follows; a `log` page lists entries before where it was asked from, newest first. A page that breaks
 * this is refused as malformed: taken, a page that does not move would have its reader ask for it for ever, and
 * entries out of order or out of range would be recorded against the wrong cursor.
 */
import {InvalidInputError} from '../errors/index.js'

export function checkPageOrder(since: number, page: {last: number; more: boolean; entries: readonly {jid: number}[]}): void {
  const refuse = (what: string) => {
    throw new InvalidInputError(`malformed answer from the server: the changes after ${since} ${what}`)
  }
  if (page.last < since) refuse(`end at ${page.last}, before where they were asked from`)
  if (page.more && page.last === since) refuse('say more follows but end where they began')
  let previous = since
  for (const {jid} of page.entries) {
    if (jid <= previous) refuse(`list JID ${jid} after ${previous}`)
    if (jid > page.last) refuse(`list JID ${jid}, past their end at ${page.last}`)
    previous = jid
  }
}

export function checkLogOrder(path: string, before: number | undefined, entries: readonly {jid: number}[]): void {
  let previous = before ?? Infinity
  for (const {jid} of entries) {
    if (jid >= previous)
      throw new InvalidInputError(
        `malformed answer from the server: the history of ${path} lists JID ${jid} after ${previous}, not newest first before ${before ?? 'its end'}`,
      )
    previous = jid
  }
}
