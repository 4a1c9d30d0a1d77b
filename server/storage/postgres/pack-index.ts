/** A namespace's rows of `chunks` and `packs` (pg-chunks.ts): where each chunk is, and the packs' blobs. */
import type pg from 'pg'
import type {PackedChunk} from './blob-pack.js'

export interface ChunkRow {
  /** Hex. */
  id: string
  pack: number
  blob: string
  block_offset: number
  block_length: number
  chunk_offset: number
  length: number
}

export interface PackRow {
  pack: number
  blob: string
  bytes: number
  created: number
}

const ROW = `encode(c.id, 'hex') AS id, c.pack::int AS pack, p.blob, c.block_offset::float8 AS block_offset, c.block_length, c.chunk_offset, c.length`

/** Where a namespace's packs go in the blob store: the creation time first, so a blob's age shows in its key. */
export const packPrefix = (namespace: string) => `packs/${namespace}/`
const blobKey = (namespace: string, created: number, pack: number) => `${packPrefix(namespace)}${created.toString(36)}-${pack.toString(16).padStart(8, '0')}`

/** The creation time in a pack blob's key (undefined: not a key of ours). */
export function createdOf(key: string): number | undefined {
  const match = /\/([0-9a-z]+)-[0-9a-f]{8}$/.exec(key)
  return match ? Number.parseInt(match[1], 36) : undefined
}

export class PackIndex {
  constructor(
    readonly pool: pg.Pool,
    readonly namespace: string,
  ) {}

  async rows(ids: string[]): Promise<ChunkRow[]> {
    if (ids.length === 0) return []
    const {rows} = await this.pool.query<ChunkRow>(
      `SELECT ${ROW} FROM chunks c JOIN packs p ON p.namespace = c.namespace AND p.pack = c.pack
       WHERE c.namespace = $1 AND c.id = ANY(SELECT decode(x, 'hex') FROM unnest($2::text[]) AS x)`,
      [this.namespace, ids],
    )
    return rows
  }

  /** The rows of every chunk in the block that holds `id` (none when it is not stored). */
  async blockOf(id: string): Promise<ChunkRow[]> {
    const {rows} = await this.pool.query<ChunkRow>(
      `SELECT ${ROW} FROM chunks c JOIN packs p ON p.namespace = c.namespace AND p.pack = c.pack
       WHERE (c.namespace, c.pack, c.block_offset) = (SELECT namespace, pack, block_offset FROM chunks WHERE namespace = $1 AND id = decode($2, 'hex'))`,
      [this.namespace, id],
    )
    return rows
  }

  /** Every chunk, by pack and block. */
  async all(client: pg.Pool | pg.PoolClient = this.pool, packs?: number[]): Promise<ChunkRow[]> {
    const {rows} = await client.query<ChunkRow>(
      `SELECT ${ROW} FROM chunks c JOIN packs p ON p.namespace = c.namespace AND p.pack = c.pack
       WHERE c.namespace = $1 AND ($2::bigint[] IS NULL OR c.pack = ANY($2)) ORDER BY c.pack, c.block_offset`,
      [this.namespace, packs ?? null],
    )
    return rows
  }

  async packs(): Promise<PackRow[]> {
    const {rows} = await this.pool.query(
      `SELECT pack::int AS pack, blob, bytes::float8 AS bytes, created::float8 AS created FROM packs WHERE namespace = $1 ORDER BY pack`,
      [this.namespace],
    )
    return rows as PackRow[]
  }

  async usage(): Promise<{packs: number; bytes: number}> {
    const {rows} = await this.pool.query('SELECT count(*)::int AS packs, coalesce(sum(bytes), 0)::float8 AS bytes FROM packs WHERE namespace = $1', [
      this.namespace,
    ])
    return rows[0] as {packs: number; bytes: number}
  }

  /** A new pack's number and key; `put` writes the blob, then the pack's rows are added in one statement. */
  async addPack(size: number, placed: PackedChunk[], put: (blob: string) => Promise<void>): Promise<PackRow> {
    const pack = await this.addPackBlob(size, put)
    await this.insertPack(this.pool, pack, placed)
    return pack
  }

  /** How many collections dropped chunks of the namespace. */
  async sweeps(client: pg.Pool | pg.PoolClient): Promise<number> {
    const {rows} = await client.query('SELECT sweeps::float8 AS sweeps FROM chunk_sweeps WHERE namespace = $1', [this.namespace])
    return rows.length === 0 ? 0 : (rows[0].sweeps as number)
  }

  /** Inside the switch's transaction: counts one more sweep; returns the count. */
  async countSweep(client: pg.PoolClient): Promise<number> {
    const {rows} = await client.query(
      `INSERT INTO chunk_sweeps (namespace, sweeps) VALUES ($1, 1)
       ON CONFLICT (namespace) DO UPDATE SET sweeps = chunk_sweeps.sweeps + 1 RETURNING sweeps::float8 AS sweeps`,
      [this.namespace],
    )
    return rows[0].sweeps as number
  }

  /** A new pack's number and key, and its blob written by `put`: no row names it yet. */
  async addPackBlob(size: number, put: (blob: string) => Promise<void>): Promise<PackRow> {
    const {rows} = await this.pool.query(`SELECT nextval('pack_numbers')::int AS pack`)
    const pack = rows[0].pack as number
    const created = Date.now()
    const blob = blobKey(this.namespace, created, pack)
    await put(blob)
    return {pack, blob, bytes: size, created}
  }

  /** The pack's row and its chunks', in one statement (a chunk already indexed, by another instance, stays where it is). */
  async insertPack(client: pg.Pool | pg.PoolClient, pack: PackRow, placed: PackedChunk[]): Promise<void> {
    await client.query(
      `WITH pack AS (INSERT INTO packs (namespace, pack, blob, bytes, created) VALUES ($1, $2, $8, $9, $10))
       INSERT INTO chunks (namespace, id, pack, block_offset, block_length, chunk_offset, length)
       SELECT $1, decode(id, 'hex'), $2, b, bl, o, l FROM unnest($3::text[], $4::bigint[], $5::int[], $6::int[], $7::int[]) AS u(id, b, bl, o, l)
       ON CONFLICT (namespace, id) DO NOTHING`,
      [this.namespace, pack.pack, ...columnsOf(placed), pack.blob, pack.bytes, pack.created],
    )
  }

  /** Inside a transaction: these chunks are now in `pack`, where `placed` says. */
  async moveChunks(client: pg.PoolClient, placed: PackedChunk[], pack: number | undefined): Promise<void> {
    if (placed.length === 0 || pack === undefined) return
    await client.query(
      `UPDATE chunks c SET pack = $2, block_offset = u.b, block_length = u.bl, chunk_offset = u.o, length = u.l
       FROM unnest($3::text[], $4::bigint[], $5::int[], $6::int[], $7::int[]) AS u(id, b, bl, o, l)
       WHERE c.namespace = $1 AND c.id = decode(u.id, 'hex')`,
      [this.namespace, pack, ...columnsOf(placed)],
    )
  }

  /** Inside a transaction: drops these packs' rows and the rows of the chunks still placed in them. */
  async dropPacks(client: pg.PoolClient, packs: number[]): Promise<void> {
    if (packs.length === 0) return
    await client.query('DELETE FROM chunks WHERE namespace = $1 AND pack = ANY($2::bigint[])', [this.namespace, packs])
    await client.query('DELETE FROM packs WHERE namespace = $1 AND pack = ANY($2::bigint[])', [this.namespace, packs])
  }
}

/** Ids (hex), block offsets, block lengths, chunk offsets and lengths, as the arrays of an unnest. */
function columnsOf(placed: PackedChunk[]): unknown[] {
  return [
    placed.map((c) => Buffer.from(c.key, 'latin1').toString('hex')),
    placed.map((c) => c.location.blockOffset),
    placed.map((c) => c.location.blockLength),
    placed.map((c) => c.location.offset),
    placed.map((c) => c.location.length),
  ]
}
