import {Args, Flags} from '@oclif/core'
import {SyncCommand} from '../cli/base-command.js'
import {folderPath} from '../cli/folder-path.js'
import {withJournal} from '../cli/with-journal.js'
import {noHistoryError} from '#src/sync/find-version.js'
import type {JournalEntry} from '#src/journal/journal-client.js'
import {KeptVersions} from '#src/state/kept-versions.js'

interface Version {
  jid: number
  time: string
  device: string
  size?: number
  deleted: boolean
  /** Past the server's retention: listed, no longer restorable. */
  pruned?: true
  movedTo?: string
  movedFrom?: string
}

export default class Log extends SyncCommand {
  static override summary = "Show a file's versions, newest first: jid, time (UTC), device, size, or deleted."
  static override description =
    "Reads the file's history from the server's journal. Bring a version back with 'sync restore PATH --jid N'. Versions written on this device that a change from elsewhere replaced are also kept here ('sync kept PATH')."
  static override examples = [
    {description: 'The history of a recipe:', command: '<%= config.bin %> log "Risotto.cook"'},
    {description: 'The last three versions, as JSON:', command: '<%= config.bin %> log Risotto.cook --limit 3 --json'},
  ]

  static override args = {
    path: Args.string({description: 'File in the synced folder (relative to the current folder).', required: true, ignoreStdin: true}),
  }

  static override flags = {
    limit: Flags.integer({summary: 'Show at most this many versions.', min: 1}),
  }

  async run(): Promise<{path: string; versions: Version[]; kept: number}> {
    const {args, flags} = await this.parse(Log)
    return this.withFolder(flags, async (folder) => {
      const path = folderPath(folder.root, args.path, this.startDir(flags))
      const entries = await withJournal(folder.config, async (client) => {
        const all: JournalEntry[] = []
        let before: number | undefined
        for (;;) {
          const page = await client.log(path, {before, limit: flags.limit ? Math.min(1000, flags.limit - all.length) : undefined})
          all.push(...page.entries)
          if (!page.more || page.entries.length === 0 || (flags.limit && all.length >= flags.limit)) return all
          before = page.entries.at(-1)!.jid
        }
      })
      const versions = entries.map((entry): Version => {
        const movedAway = entry.path !== path
        return {
          jid: entry.jid,
          time: new Date(entry.time).toISOString(),
          device: entry.device,
          ...(entry.kind === 'deleted' || movedAway ? {} : {size: entry.size ?? Buffer.byteLength((entry.manifest as {target?: string})?.target ?? '')}),
          deleted: entry.kind === 'deleted' || movedAway,
          ...(entry.pruned && !movedAway ? {pruned: true as const} : {}),
          ...(movedAway ? {movedTo: entry.path} : {}),
          ...(!movedAway && entry.from ? {movedFrom: entry.from} : {}),
        }
      })
      if (versions.length === 0) throw noHistoryError(path)
      for (const v of versions) {
        const what = v.movedTo
          ? `moved to ${v.movedTo}`
          : v.deleted
            ? 'deleted'
            : `${v.size} bytes${v.movedFrom ? ` (moved from ${v.movedFrom})` : ''}${v.pruned ? ' (pruned)' : ''}`
        this.log(`${String(v.jid).padStart(6)}  ${v.time.replace('T', ' ').slice(0, 19)} UTC  ${v.device.padEnd(12)}  ${what}`)
      }
      if (versions.some((v) => v.pruned)) this.log("older history pruned: versions marked (pruned) are past the server's retention and cannot be restored")
      // Versions of it written here and replaced from elsewhere: restorable whatever the server's history says.
      const kept = new KeptVersions(folder.env).list(path).length
      if (kept > 0)
        this.log(
          `${kept} version${kept === 1 ? '' : 's'} written here and replaced from elsewhere ${kept === 1 ? 'is' : 'are'} kept on this device: sync kept ${args.path}`,
        )
      return {path, versions, kept}
    })
  }
}
