/**
 * What the syncer reports as it works: one event per change carried out (the daemon prints one line each), one
 * when a path turns out not to be syncable (`blocked`, with why), and one per group of changes held back
 * (`held`: a read-only token, the delete guard), and one per nested synced folder skipped (`nested`). The last three
 * are reported once, not at every pass.
 */
export interface SyncEvent {
  /** up: this device's change sent (or one that cannot be); down: another device's change applied here (or one that cannot be); both: a merge or conflict. */
  direction: 'up' | 'down' | 'both'
  type: 'upload' | 'delete-remote' | 'move-remote' | 'download' | 'delete-local' | 'move-local' | 'merged' | 'conflict' | 'blocked' | 'held' | 'nested'
  path: string
  /** A move's old path; for a held incoming deletion, the device that deleted. */
  from?: string
  copy?: string
  jid?: number
  reason?: string
  /** A `held` event: why, and how many changes it stands for (`path` is the first of them). */
  why?: 'read-only' | 'mass-delete' | 'folder-empty'
  count?: number
  /** A download or remote deletion that replaced a version written here: that version is kept on this device (`sync kept`). */
  kept?: true
  /** A held mass deletion: the deletions carried out in the guard's window that it was counted with. */
  lately?: {count: number; minutes: number}
}
