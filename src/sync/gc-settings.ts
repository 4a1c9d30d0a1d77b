/** When a device collects its garbage by itself, and what it leaves alone (`.sync/config.json`, `"gc"`). */
export interface FolderGcSettings {
  /** The daemon collects when the store is over this many MB and over twice what a collection would leave. */
  aboveMB: number
  /** Pack files written less than this long ago are left alone (their chunks may be a script's, on their way). */
  graceSeconds: number
}

export const DEFAULT_FOLDER_GC: FolderGcSettings = {aboveMB: 64, graceSeconds: 600}
