/** What the syncer reports as it works: one event per change carried out (the daemon prints one line each). */
export interface SyncEvent {
  /** up: this device's change sent; down: another device's change applied here; both: a merge or conflict. */
  direction: 'up' | 'down' | 'both'
  type: 'upload' | 'delete-remote' | 'move-remote' | 'download' | 'delete-local' | 'move-local' | 'merged' | 'conflict'
  path: string
  from?: string
  copy?: string
  jid?: number
}
