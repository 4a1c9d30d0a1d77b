/** A namespace's journal as each path's touches (plan-retention.ts), read page by page up to a JID. */
import type {JournalStorage} from '../storage/types.js'
import type {Touch} from './plan-retention.js'

const PAGE = 1000

export async function pathTouches(journal: JournalStorage, namespace: string, upto: number): Promise<Map<string, Touch[]>> {
  const touches = new Map<string, Touch[]>()
  const add = (path: string, touch: Touch) => {
    const list = touches.get(path)
    if (list) list.push(touch)
    else touches.set(path, [touch])
  }
  for (let since = 0; since < upto;) {
    const page = await journal.range(namespace, since, Math.min(PAGE, upto - since))
    if (page.length === 0) break
    for (const entry of page) {
      if (entry.from !== undefined) add(entry.from, {jid: entry.jid, time: entry.time, kind: 'gone'})
      add(entry.path, {jid: entry.jid, time: entry.time, kind: entry.kind === 'deleted' ? 'gone' : entry.pruned ? 'pruned' : 'version'})
    }
    since = page.at(-1)!.jid
  }
  return touches
}
