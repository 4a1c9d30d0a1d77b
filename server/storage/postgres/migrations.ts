/**
 * The PostgreSQL schema, as numbered migrations applied in order (migrate.ts). A migration, once released, never
 * changes: a new one is added after it. Text that is compared or ranged over (paths, namespaces) is COLLATE "C", so
 * that it sorts byte-wise as LMDB's keys do (a path's head range `p/`..`p0`, heads pages in byte order).
 */
export interface Migration {
  version: number
  name: string
  sql: string
}

const initial = `
CREATE TABLE namespaces (
  name text COLLATE "C" PRIMARY KEY,
  created bigint NOT NULL,
  keep_days double precision,
  thin_days double precision
);

CREATE TABLE tokens (
  hash text PRIMARY KEY,
  namespace text COLLATE "C" REFERENCES namespaces (name),
  rights text NOT NULL CHECK (rights IN ('read-write', 'read-only', 'admin')),
  name text COLLATE "C" NOT NULL,
  created bigint NOT NULL,
  last_used bigint,
  CHECK ((rights = 'admin') = (namespace IS NULL))
);
CREATE UNIQUE INDEX tokens_name ON tokens (coalesce(namespace, ''), name);

CREATE TABLE counters (
  name text PRIMARY KEY,
  value bigint NOT NULL
);
INSERT INTO counters VALUES ('revocations', 0);

CREATE TABLE devices (
  namespace text COLLATE "C" NOT NULL,
  token text COLLATE "C" NOT NULL,
  record jsonb NOT NULL,
  PRIMARY KEY (namespace, token)
);

-- The journal. journal_heads.head is the namespace's newest JID: the row every commit locks (FOR UPDATE).
CREATE TABLE journal_heads (
  namespace text COLLATE "C" PRIMARY KEY,
  head bigint NOT NULL
);
-- One row an entry, fields as server/storage/lmdb/entry-record.ts names them (manifest: its binary codec).
CREATE TABLE entries (
  namespace text COLLATE "C" NOT NULL,
  jid bigint NOT NULL,
  path text COLLATE "C" NOT NULL,
  prev bigint,
  kind text NOT NULL,
  manifest bytea,
  from_path text COLLATE "C",
  from_prev bigint,
  device text NOT NULL,
  time bigint NOT NULL,
  pruned boolean NOT NULL DEFAULT false,
  size bigint,
  exec boolean,
  PRIMARY KEY (namespace, jid)
);
-- Each path's newest entry (moves away included, for compare-and-set), and whether that leaves it present.
CREATE TABLE path_heads (
  namespace text COLLATE "C" NOT NULL,
  path text COLLATE "C" NOT NULL,
  jid bigint NOT NULL,
  present boolean NOT NULL,
  PRIMARY KEY (namespace, path)
);
CREATE INDEX path_heads_present ON path_heads (namespace, path) WHERE present;
-- Every entry that touched a path (a move touches both), for a path's history.
CREATE TABLE touches (
  namespace text COLLATE "C" NOT NULL,
  path text COLLATE "C" NOT NULL,
  jid bigint NOT NULL,
  PRIMARY KEY (namespace, path, jid)
);

-- Chunks: bytes in packs (immutable blobs in the BlobStore), the index here.
CREATE SEQUENCE pack_numbers MINVALUE 1 MAXVALUE 4294967294 NO CYCLE;
CREATE TABLE packs (
  namespace text COLLATE "C" NOT NULL,
  pack bigint NOT NULL,
  blob text NOT NULL,
  bytes bigint NOT NULL,
  created bigint NOT NULL,
  PRIMARY KEY (namespace, pack)
);
CREATE TABLE chunks (
  namespace text COLLATE "C" NOT NULL,
  id bytea NOT NULL,
  pack bigint NOT NULL,
  block_offset bigint NOT NULL,
  block_length integer NOT NULL,
  chunk_offset integer NOT NULL,
  length integer NOT NULL,
  PRIMARY KEY (namespace, id),
  FOREIGN KEY (namespace, pack) REFERENCES packs (namespace, pack)
);
CREATE INDEX chunks_block ON chunks (namespace, pack, block_offset);
-- Collections that dropped chunks, per namespace: every instance's keepPresent reads it (NamespaceChunks.recoveries).
CREATE TABLE chunk_sweeps (
  namespace text COLLATE "C" PRIMARY KEY,
  sweeps bigint NOT NULL
);
`

/** A namespace's encryption setting (docs/protocol.md, Encryption): NULL for a plain namespace. */
const encryption = `ALTER TABLE namespaces ADD COLUMN encryption jsonb;`

/** A namespace's quota in bytes of packs (server/storage/namespace-quota.ts): NULL for none. */
const quota = `ALTER TABLE namespaces ADD COLUMN quota_bytes bigint;`

export const MIGRATIONS: readonly Migration[] = [
  {version: 1, name: 'initial', sql: initial},
  {version: 2, name: 'encryption', sql: encryption},
  {version: 3, name: 'quota', sql: quota},
]

export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version
