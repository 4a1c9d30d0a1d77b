/**
 * What the syncer reports as it works: one event per change carried out (the daemon prints one line each), and
 * one when a path turns out not to be syncable (`blocked`, with why: reported once, not at every pass).
 */
export interface SyncEvent {
  /** up: this device's change sent (or one that cannot be); down: another device's change applied here (or one that cannot be); both: a merge or conflict. */
  direction: 'up' | 'down' | 'both'
  type: 'upload' | 'delete-remote' | 'move-remote' | 'download' | 'delete-local' | 'move-local' | 'merged' | 'conflict' | 'blocked' | 'held'
  path: string
  from?: string
  copy?: string
  jid?: number
  reason?: string
}
