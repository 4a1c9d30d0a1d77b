/** Runs a network command's work with a journal client for the folder's server (settings: server-settings.ts). */
import type {FolderConfig} from '#src/folder/config.js'
import {resolveServerSettings} from '#src/folder/server-settings.js'
import {JournalClient} from '#src/journal/journal-client.js'

export async function withJournal<T>(config: FolderConfig, work: (client: JournalClient) => Promise<T>): Promise<T> {
  const client = new JournalClient(resolveServerSettings(config))
  try {
    return await work(client)
  } finally {
    client.close()
  }
}
