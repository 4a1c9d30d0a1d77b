/** `sync-server --help` and the help of each verb. */
export const USAGE: Record<'serve' | 'token' | 'fsck', string> = {
  serve: `Usage: sync-server [--data DIR] [--host HOST] [--port PORT]

Serves the sync journal and chunk store (docs/protocol.md). The first line on stdout is
"listening on http://HOST:PORT" (with --port 0, the port that was picked). SIGTERM or SIGINT drains:
requests in flight finish, long-polls are answered, storage is closed, exit 0. One server per data folder:
a second exits 3, naming the pid that serves it (a lock left by a server that died is taken over).

Options (each also read from the environment):
  --data DIR    data folder, created if needed        SYNC_SERVER_DATA  (default ./sync-data)
  --host HOST   address to listen on                  SYNC_SERVER_HOST  (default 127.0.0.1)
  --port PORT   port to listen on, 0 for any free one SYNC_SERVER_PORT  (default 7140)

Verbs:
  sync-server token      make or revoke a token (sync-server token --help)
  sync-server fsck       check the data folder (sync-server fsck --help)
  sync-server --version  print the version and the protocol it speaks

Examples:
  sync-server --data /var/lib/sync --host 0.0.0.0
  SYNC_SERVER_PORT=0 sync-server --data /tmp/sync-test
`,
  token: `Usage: sync-server token --data DIR --namespace NS [--read-only]
       sync-server token --data DIR --revoke TOKEN

Makes a token for namespace NS (creating the namespace) and prints only the token; only its hash is stored.
A read-only token can read and never write. --revoke makes a token useless at once, also for requests of it
in flight on a running server (exit 1 if unknown, or if the data folder does not exist).

Examples:
  sync-server token --data /var/lib/sync --namespace recipes
  sync-server token --data /var/lib/sync --namespace recipes --read-only
  sync-server token --data /var/lib/sync --revoke "$TOKEN"
`,
  fsck: `Usage: sync-server fsck --data DIR [--json]

Checks every namespace: every stored chunk against its id (block by block), and that every file the journal
says is present has all its chunks. Changes nothing. Exit 0 when all is well, 6 when anything is damaged
or missing, 1 when there is no data folder at DIR (it is never created).

Examples:
  sync-server fsck --data /var/lib/sync
  sync-server fsck --data /var/lib/sync --json
`,
}
