/**
 * Whether the server takes these settings, asked before `sync init` writes them: a wrong token or namespace is
 * said then, as what it is, instead of as "server not reachable" at the first sync. A server that cannot be
 * reached now is no reason to refuse: a device is often set up offline.
 */
import {NetworkError} from '../errors/index.js'
import {JournalClient} from '../journal/journal-client.js'
import type {ServerSettings} from './config.js'

/** 'ok', or 'unreachable'; a refused token or namespace throws its typed error (E_UNAUTHORIZED, E_FORBIDDEN). */
export async function verifyAccess(settings: ServerSettings): Promise<'ok' | 'unreachable'> {
  const client = new JournalClient(settings, {timeoutMs: 10_000})
  try {
    await client.changes(0, {limit: 1})
    return 'ok'
  } catch (error) {
    if (error instanceof NetworkError) return 'unreachable'
    throw error
  } finally {
    client.close()
  }
}
