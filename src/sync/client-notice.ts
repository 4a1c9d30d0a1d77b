/**
 * What the syncer says about this client itself (docs/protocol.md, Versions), each once per syncer: the server
 * knows a newer version (`newer-client`), or refuses this one as too old, to write or to read an entry, so that
 * changes made here are not sent until it is updated (`client-too-old`). Both name the command that updates it.
 */
export type ClientNotice = {type: 'newer-client'; version: string; command: string} | {type: 'client-too-old'; message: string}

export function describeNotice(notice: ClientNotice): string {
  if (notice.type === 'newer-client') return `a newer client is available: sync ${notice.version} ('${notice.command}')`
  return `${notice.message} (changes made here are kept here until then)`
}
