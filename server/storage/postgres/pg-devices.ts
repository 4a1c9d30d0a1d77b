/** Devices in PostgreSQL: `devices` (namespace, token name) -> the rest of the record as jsonb. */
import type pg from 'pg'
import type {DeviceRecord, DeviceStorage} from '../types.js'

export class PgDevices implements DeviceStorage {
  constructor(private readonly pool: pg.Pool) {}

  async list(namespace?: string): Promise<DeviceRecord[]> {
    const {rows} = await this.pool.query<{namespace: string; token: string; record: Omit<DeviceRecord, 'namespace' | 'token'>}>(
      'SELECT namespace, token, record FROM devices WHERE $1::text IS NULL OR namespace = $1 ORDER BY namespace, token',
      [namespace ?? null],
    )
    return rows.map((row) => ({namespace: row.namespace, token: row.token, ...row.record}))
  }

  async save(records: Iterable<DeviceRecord>): Promise<void> {
    // One row a device: the last record of a device given twice wins, as LMDB's puts in order do.
    const latest = new Map<string, DeviceRecord>()
    for (const record of records) latest.set(`${record.namespace}\0${record.token}`, record)
    if (latest.size === 0) return
    const batch = [...latest.values()]
    await this.pool.query(
      `INSERT INTO devices (namespace, token, record) SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])
       ON CONFLICT (namespace, token) DO UPDATE SET record = excluded.record`,
      [batch.map((r) => r.namespace), batch.map((r) => r.token), batch.map(({namespace: _n, token: _t, ...rest}) => JSON.stringify(rest))],
    )
  }
}
