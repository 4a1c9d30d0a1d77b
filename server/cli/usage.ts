/** `sync-server --help` and the help of each verb. */
export const USAGE: Record<'serve' | 'token' | 'fsck' | 'gc' | 'namespace' | 'backup' | 'migrate', string> = {
  serve: `Usage: sync-server [--data DIR | --db URL --blobs URL] [--host HOST] [--port PORT] [--gc-every DURATION]
                   [--gc-grace DURATION] [--tls-cert FILE --tls-key FILE] [--latest-client VERSION]

Serves the sync journal and chunk store (docs/protocol.md) and a status page at /status. The first line
on stdout is "listening on http://HOST:PORT" (https with a certificate; with --port 0, the port that was
picked). SIGTERM or SIGINT drains:
requests in flight finish, long-polls are answered, storage is closed, exit 0. One server per data folder:
a second exits 3, naming the pid that serves it (a lock left by a server that died is taken over).

Options (each also read from the environment):
  --data DIR    data folder, created if needed        SYNC_SERVER_DATA  (default ./sync-data)
  --db URL      serve from PostgreSQL (postgres://USER@HOST:PORT/DB) instead: any number of instances may
                share it (docs/scaling.md); run sync-server migrate first     SYNC_SERVER_DB
  --blobs URL   with --db: where chunk bytes go, file:///path                SYNC_SERVER_BLOBS
  --host HOST   address to listen on                  SYNC_SERVER_HOST  (default 127.0.0.1)
  --port PORT   port to listen on, 0 for any free one SYNC_SERVER_PORT  (default 7140)
  --gc-every D  prune history past each namespace's retention and collect garbage every D (24h, 30m),
                while serving (sync-server gc --help)  SYNC_SERVER_GC_EVERY
  --gc-grace D  those runs leave packs written in the last D alone (default 1h: their chunks may be on
                their way to a commit; a shorter grace only makes such a commit send them again)
  --tls-cert F  serve HTTPS (HTTP/2 and HTTP/1.1 by ALPN) with this PEM certificate (chain)
                                                      SYNC_SERVER_TLS_CERT
  --tls-key F   and this PEM private key              SYNC_SERVER_TLS_KEY
  --latest-client V  the newest sync client to tell clients of (health, and a notice to older clients
                with the npm command that updates them); default this server's version
                                                      SYNC_SERVER_LATEST_CLIENT

Verbs:
  sync-server token      make, list or revoke tokens (sync-server token --help)
  sync-server namespace  set or show a namespace's retention and quota (sync-server namespace --help)
  sync-server gc         prune old history and reclaim space (sync-server gc --help)
  sync-server fsck       check the data folder (sync-server fsck --help)
  sync-server backup     copy the data folder while it is served (sync-server backup --help)
  sync-server migrate    create or upgrade a PostgreSQL database's schema (sync-server migrate --help)
  sync-server --version  print the version and the protocols it serves

Examples:
  sync-server --data /var/lib/sync --host 0.0.0.0
  SYNC_SERVER_PORT=0 sync-server --data /tmp/sync-test
  sync-server --data /var/lib/sync --gc-every 24h
  sync-server --data /var/lib/sync --latest-client 0.2.0
  sync-server --data /var/lib/sync --host 0.0.0.0 --port 443 --tls-cert cert.pem --tls-key key.pem
  sync-server --db postgres://sync@db.internal/sync --blobs file:///srv/sync-blobs --host 0.0.0.0

token, namespace, gc and fsck take --db URL --blobs URL (or SYNC_SERVER_DB, SYNC_SERVER_BLOBS) in place of --data DIR.
`,
  token: `Usage: sync-server token create --data DIR --namespace NS --device NAME [--read-only] [--json]
       sync-server token create --data DIR --admin [--device NAME] [--json]
       sync-server token list --data DIR [--namespace NS] [--json]
       sync-server token revoke --data DIR NAME (--namespace NS | --admin)
       sync-server token --data DIR --namespace NS [--read-only]
       sync-server token --data DIR --revoke TOKEN

create makes a token for the device NAME of namespace NS (creating the namespace) and prints only the token
(--json: its name, namespace, rights and the token); only its hash is stored. A read-only token can read and never
write. NAME is 1-64 letters, digits, '.', '_' or '-' starting with a letter or digit, one token per name in a
namespace (a second exits 1: revoke the first). --admin makes a token for the operator's routes (/metrics) that
reads no namespace's data. list shows each token's name, namespace, rights (read-write, read-only, admin), when
it was made and last used (UTC; a server writes uses once a minute), never a token. revoke makes the named token
useless at once, also for requests of it in flight on a running server (exit 1 if there is none, or if the data
folder does not exist). The last two forms are the first ones: a token named token-<6 hex digits> (its hash's),
and a revocation by the token itself. --data defaults to SYNC_SERVER_DATA.

Examples:
  sync-server token create --data /var/lib/sync --namespace recipes --device laptop
  sync-server token create --data /var/lib/sync --namespace recipes --device kitchen --read-only
  sync-server token create --data /var/lib/sync --admin --device prometheus
  sync-server token list --data /var/lib/sync
  sync-server token list --data /var/lib/sync --namespace recipes --json
  sync-server token revoke --data /var/lib/sync laptop --namespace recipes
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
  namespace: `Usage: sync-server namespace set NS --data DIR [--keep-days N] [--thin-days M] [--quota SIZE] [--json]
       sync-server namespace show NS --data DIR [--json]

A namespace's retention: every version is kept N days (default 30), then one a day (the day's last) for M
more days (default 90); older versions are pruned by the next gc. The current version of every file is
always kept, and a deleted file's last version for N days after its deletion. A pruned version stays in
the journal (sync log lists it, marked pruned) but cannot be restored.

Its quota: what its chunk packs may take on the server (SIZE like 500M, 5G or 1T, k = 1024; at least 1M;
none, the default, for no limit). An upload or commit that would pass it is refused (507 E_NO_SPACE:
clients report "the server is out of space" and keep the change to send later); deletions and moves are
always taken, and the space of deleted files comes back once gc prunes their history. A running server
reads a new quota within seconds; what several instances take at once may pass it by a few seconds' worth.

set changes only the flags given, and prints the result, as show does, with what the namespace's packs
take now. Exit 1 when NS or the data folder does not exist, 2 for a bad value (nothing is changed).

Examples:
  sync-server namespace set recipes --data /var/lib/sync --keep-days 60 --thin-days 365
  sync-server namespace set recipes --data /var/lib/sync --quota 5G
  sync-server namespace show recipes --data /var/lib/sync --json
`,
  gc: `Usage: sync-server gc --data DIR [--namespace NS] [--dry-run] [--grace DURATION] [--json]

Prunes each namespace's history past its retention (sync-server namespace --help), then reclaims the
space of chunks no kept version names: packs with nothing kept are deleted, packs less than half kept
are rewritten with only what is kept. Packs written within --grace (default 1h) are left alone. Safe to
stop at any point (kill -9 included): nothing kept is lost, and the next run finishes the job.
--dry-run writes nothing and says what a run would prune and (about) reclaim. A data folder being
served cannot be collected from outside (exit 3): run the server with --gc-every instead.

Examples:
  sync-server gc --data /var/lib/sync --dry-run
  sync-server gc --data /var/lib/sync --namespace recipes --json
`,
  backup: `Usage: sync-server backup --data DIR --to NEWDIR [--json]

Copies the data folder DIR into the new folder NEWDIR, consistent and compacted, while a server may serve
DIR: the journal first, then each namespace's chunk index, then the packs that index names (LMDB copies
each database in one read transaction). The copy is then checked as fsck does; it is a data folder.
Restore: stop the server, move the data folder aside, move the copy in its place, start the server.
Exit 1 when DIR is no data folder, 2 when NEWDIR exists and is not empty, 6 when the copy fails its check.

Examples:
  sync-server backup --data /var/lib/sync --to /var/backups/sync-$(date +%F)
  sync-server backup --data /var/lib/sync --to /tmp/sync-copy --json
`,
  migrate: `Usage: sync-server migrate --db URL [--json]

Creates or upgrades the schema of the PostgreSQL database at URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE,
else SYNC_SERVER_DB) to this version's, applying each missing migration in its own transaction and recording it in the
table schema_migrations. Running it again does nothing; instances of this version may serve meanwhile. A server
refuses a database that is not migrated. Exit 17 when the database was migrated by a newer sync-server, 8 when
it cannot be reached.

Examples:
  sync-server migrate --db postgres://sync@db.internal:5432/sync
  SYNC_SERVER_DB=postgres://sync@127.0.0.1/sync sync-server migrate --json
`,
}
