/** Bytes a device's journal client sent and received during `work`. */
import type {Device} from './device.js'

export async function traffic(device: Device, work: () => Promise<unknown>): Promise<{sent: number; received: number}> {
  const before = device.client.traffic()
  await work()
  const after = device.client.traffic()
  return {sent: after.sent - before.sent, received: after.received - before.received}
}
