/**
 * Named crash points for tests (docs/testing.md): with SYNC_CRASH_AT=<name> in the environment, the process
 * kills itself with SIGKILL when it reaches that point, as a power cut or an OOM kill would. Unset (always, outside
 * tests), a crash point is one comparison. The names:
 *
 *   after-upload-before-commit   client: chunks are on the server, the commit is not sent
 *   after-commit-before-base     client: the server acknowledged a commit, the base is not recorded
 *   after-temp-before-rename     client: a downloaded file is complete in its temp file, not renamed
 *   mid-pack                     client or server: half of a pack block is written to the pack file
 *   after-commit-before-response server: the commit is durable, the response is not sent
 *   gc-mid-mark                  server GC: part of the journal marked, nothing written
 *   gc-mid-repack                server GC: a block of live chunks is in a new pack, the index does not know it
 *   gc-mid-delete                server GC: the index switched, one old pack deleted and the others not yet
 *   reset-mid-build              client: `config set --reset` built most of the new .sync/ beside the old one
 *   reset-between-renames        client: `config set --reset` moved the old .sync/ aside, the new one not in
 *   reset-before-removing-old    client: `config set --reset` put the new .sync/ in, the old one is still aside
 */
const armed = process.env.SYNC_CRASH_AT

export type CrashPoint =
  | 'after-upload-before-commit'
  | 'after-commit-before-base'
  | 'after-temp-before-rename'
  | 'mid-pack'
  | 'after-commit-before-response'
  | 'gc-mid-mark'
  | 'gc-mid-repack'
  | 'gc-mid-delete'
  | 'reset-mid-build'
  | 'reset-between-renames'
  | 'reset-before-removing-old'

export function isArmed(name: CrashPoint): boolean {
  return armed === name
}

export function crashPoint(name: CrashPoint): void {
  if (armed === name) process.kill(process.pid, 'SIGKILL')
}
