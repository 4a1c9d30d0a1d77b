/**
 * What the server knows of each device (a namespace's token, by name): when it was last seen, its client
 * (`User-Agent`), its cursor (the `since` of its last `changes`), the `device` name of its last commit and the last
 * error answered to it. Noted on the routes of a sync pass (authorize.ts, when given these), kept in memory and
 * written at most once a minute (throttled-writes.ts). A listing is the stored records (other instances' too)
 * with this instance's newer ones over them.
 */
import type {Context} from 'koa'
import type {DeviceError, DeviceRecord, DeviceStorage, TokenGrant} from '../storage/types.js'
import type {SetTimer} from '../waiters.js'
import {ThrottledWrites} from './throttled-writes.js'

/** A device as listed: its record, and how far behind the namespace's head its cursor is. */
export type DeviceView = DeviceRecord & {lag?: number}

const AGENT_MAX = 64
const MESSAGE_MAX = 200

/** Printable ASCII only, cut short: a header is whatever a client sent. */
const printable = (text: string, max: number): string => text.replace(/[^\x20-\x7e]/g, '?').slice(0, max)

export interface DevicesOptions {
  now?: () => number
  setTimer?: SetTimer
  onError: (error: unknown) => void
}

type NamespaceGrant = Extract<TokenGrant, {namespace: string}>

export class Devices {
  private readonly records = new Map<string, DeviceRecord>()
  private readonly writes: ThrottledWrites<string, DeviceRecord>
  private readonly now: () => number

  constructor(
    private readonly storage: DeviceStorage,
    options: DevicesOptions,
  ) {
    this.now = options.now ?? Date.now
    this.writes = new ThrottledWrites((batch) => storage.save(batch.values()), options)
    // What is stored fills in the fields a record noted here before it was read lacks (a commit's device name).
    storage.list().then((stored) => {
      for (const record of stored) {
        const key = keyOf(record.namespace, record.token)
        this.records.set(key, {...record, ...this.records.get(key)})
      }
    }, options.onError)
  }

  /** A request of `grant` now (a namespace's token; an admin token is no device). */
  seen(grant: TokenGrant, ctx: Context): void {
    if (grant.rights === 'admin') return
    const agent = ctx.get('User-Agent')
    this.change(grant, (record) => {
      record.lastSeen = this.now()
      if (agent) record.agent = printable(agent, AGENT_MAX)
    })
  }

  /** The `since` of a `changes` request. */
  cursor(grant: TokenGrant, since: number): void {
    if (grant.rights !== 'admin') this.change(grant, (record) => (record.cursor = since))
  }

  /** The `device` a commit names. */
  named(grant: TokenGrant, device: string): void {
    if (grant.rights !== 'admin') this.change(grant, (record) => (record.device = printable(device, 128)))
  }

  /** An error answered to `grant`'s request. */
  failed(grant: TokenGrant, error: Omit<DeviceError, 'time'>): void {
    if (grant.rights === 'admin') return
    const lastError = {...error, time: this.now(), message: printable(error.message, MESSAGE_MAX), request: printable(error.request, MESSAGE_MAX)}
    this.change(grant, (record) => (record.lastError = lastError))
  }

  /** Every device, or those of one namespace, by namespace and token name, with their lag behind `head`. */
  async list(head: (namespace: string) => Promise<number>, namespace?: string): Promise<DeviceView[]> {
    const newest = new Map<string, DeviceRecord>()
    for (const record of await this.storage.list(namespace)) newest.set(keyOf(record.namespace, record.token), record)
    for (const [key, record] of this.records) {
      if (namespace !== undefined && record.namespace !== namespace) continue
      const stored = newest.get(key)
      if (!stored || stored.lastSeen <= record.lastSeen) newest.set(key, record)
    }
    const heads = new Map<string, number>()
    for (const {namespace} of newest.values()) if (!heads.has(namespace)) heads.set(namespace, await head(namespace))
    const records = [...newest.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, record]) => record)
    return records.map((record) => (record.cursor === undefined ? {...record} : {...record, lag: Math.max(0, heads.get(record.namespace)! - record.cursor)}))
  }

  flush(): Promise<void> {
    return this.writes.flush()
  }

  private change(grant: NamespaceGrant, edit: (record: DeviceRecord) => void): void {
    const key = keyOf(grant.namespace, grant.name)
    const record = this.records.get(key) ?? {namespace: grant.namespace, token: grant.name, lastSeen: this.now()}
    edit(record)
    this.records.set(key, record)
    this.writes.note(key, {...record})
  }
}

const keyOf = (namespace: string, token: string): string => `${namespace}\u0000${token}`
