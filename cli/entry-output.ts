/** Journal entries as the CLI prints them: one line (`jid kind path`), or a JSON object with the ids in hex. */
import type {WireEntry} from '#src/journal/entry-wire.js'
import type {JournalEntry} from '#src/journal/journal-entry.js'

/** The wire form, with the ids as hex strings, the time in ISO 8601 (UTC, as `log --json`) and the executable bit always given for a file. */
export type EntryJson = Omit<WireEntry, 'ids' | 'edits' | 'exec' | 'time'> & {time: string; ids?: string[]; exec?: boolean}

export function entryLine(entry: JournalEntry): string {
  return `${entry.jid} ${entry.kind} ${entry.path}${entry.from === undefined ? '' : ` (moved from ${entry.from})`}`
}

export function entryJson(entry: JournalEntry): EntryJson {
  const json: EntryJson = {jid: entry.jid, path: entry.path, prev: entry.prev, kind: entry.kind, device: entry.device, time: new Date(entry.time).toISOString()}
  if (entry.from !== undefined) json.from = entry.from
  if (entry.size !== undefined) json.size = entry.size
  if (entry.exec !== undefined) json.exec = entry.exec
  if (entry.manifest?.kind === 'symlink') json.target = entry.manifest.target
  if (entry.manifest?.kind === 'file') json.ids = entry.manifest.ids.toHexArray()
  return json
}
