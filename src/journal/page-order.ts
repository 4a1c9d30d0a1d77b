/**
 * What a `changes` page must say of its place in the journal (docs/protocol.md): it ends at or after where it was
 * asked from, lists entries after that point and up to its end, in JID order, and moves on when it says more
 * follows. A page that breaks this is refused as malformed: taken, a page that says more follows without moving
 * would have a pull ask for the same page for ever, and entries out of order or out of range would be recorded
 * against the wrong cursor.
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
