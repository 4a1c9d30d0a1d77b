/** Runs a network command's work with a journal client for the folder's server (settings: server-settings.ts). */
import type {FolderConfig} from '#src/folder/config.js'
import {resolveServerSettings} from '#src/folder/server-settings.js'
import {JournalClient} from '#src/journal/journal-client.js'
import {InvalidInputError} from '#src/errors/index.js'

export async function withJournal<T>(config: FolderConfig, work: (client: JournalClient) => Promise<T>): Promise<T> {
  // These commands read without the folder's lock, so they may not write its store: opening sealed entries does.
  if (config.encrypted) throw new InvalidInputError("this command does not work in an encrypted folder yet ('sync once', 'daemon', 'status' and 'restore' do)")
  const client = new JournalClient(resolveServerSettings(config))
  try {
    return await work(client)
  } finally {
    client.close()
  }
}
