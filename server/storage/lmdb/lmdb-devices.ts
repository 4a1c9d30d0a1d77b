/**
 * Devices in LMDB: db `devices`, `ns \0 token name` -> the record without its namespace and name. Written once a
 * minute by the serving process (server/http/devices.ts); a data folder without the db has no devices yet.
 */
import type {Database, RootDatabase} from 'lmdb'
import {durableTransaction} from '#src/db/durable.js'
import type {DeviceRecord, DeviceStorage} from '../types.js'

type Stored = Omit<DeviceRecord, 'namespace' | 'token'>

const keyOf = (namespace: string, token: string): string => `${namespace}\u0000${token}`

export class LmdbDevices implements DeviceStorage {
  private readonly devices: Database<Stored, string>

  constructor(private readonly env: RootDatabase) {
    this.devices = env.openDB<Stored, string>({name: 'devices'})
  }

  async list(namespace?: string): Promise<DeviceRecord[]> {
    const range = namespace === undefined ? {} : {start: keyOf(namespace, ''), end: `${namespace}\u0001`}
    const records: DeviceRecord[] = []
    for (const {key, value} of this.devices.getRange(range)) {
      const cut = key.indexOf('\u0000')
      records.push({namespace: key.slice(0, cut), token: key.slice(cut + 1), ...value})
    }
    return records
  }

  async save(records: Iterable<DeviceRecord>): Promise<void> {
    const batch = [...records]
    if (batch.length === 0) return
    await durableTransaction(this.env, () => {
      for (const {namespace, token, ...rest} of batch) this.devices.putSync(keyOf(namespace, token), rest)
    })
  }
}
