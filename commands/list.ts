import {Flags} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {type EntryJson, entryJson, entryLine} from '../cli/entry-output.js'
import {withJournal} from '../cli/with-journal.js'
import {writeLines} from '../cli/write-lines.js'
import {prose} from '../cli/prose.js'

export default class List extends SyncCommand {
  static override summary = 'List the journal entries after a JID: one per line, "jid kind path".'
  static override description = prose(`Every change to the namespace after --since (default 0: all of them), in JID order, paging until the
newest. With --wait, when there is nothing after --since yet, waits up to that many seconds (at most 60) for
a change to arrive. --json gives each entry with its chunk ids in hex, and "last" as the next --since.`)

  static override examples = [
    {description: 'Everything so far:', command: '<%= config.bin %> list'},
    {description: 'Wait up to a minute for the next change after JID 57:', command: '<%= config.bin %> list --since 57 --wait 60'},
    {description: 'The ids of the newest entry:', command: "<%= config.bin %> list --json | jq -r '.entries[-1].ids[]'"},
  ]

  static override flags = {
    since: Flags.integer({summary: 'List entries after this JID.', min: 0, default: 0}),
    wait: Flags.integer({summary: 'Seconds to wait for a change when there is none yet (at most 60).', min: 0, max: 60, default: 0}),
  }

  async run(): Promise<{entries: EntryJson[]; last: number; head: number}> {
    const {flags} = await this.parse(List)
    const json = this.jsonEnabled()
    return this.withFolder(flags, (folder) =>
      withJournal(folder.config, async (client) => {
        const entries: EntryJson[] = []
        let page = await client.changes(flags.since, {wait: flags.wait})
        for (;;) {
          if (json) {
            // Entries sent as edits of their previous version: the full version, for its ids.
            for (const entry of page.entries) entries.push(entryJson(entry.edits ? await client.entry(entry.jid) : entry))
          } else await writeLines(page.entries.map(entryLine))
          if (!page.more) break
          page = await client.changes(page.last)
        }
        return {entries, last: page.last, head: page.head}
      }),
    )
  }
}
