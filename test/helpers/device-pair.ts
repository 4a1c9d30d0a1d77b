/** Two devices of namespace `recipes` on one test server, the cookbook synced from `a` to `b`, and what tests ask of the journal. */
import type {ExecutionContext} from 'ava'
import {makeDevice, type Device} from './device.js'
import {startTestServer, type TestServer} from './server.js'

/** Passes on each device in turn, three rounds: enough for a change to reach every device and settle. */
export async function settle(...devices: Device[]): Promise<void> {
  for (let round = 0; round < 3; round++) for (const device of devices) await device.pass()
}

export async function devicePair(t: ExecutionContext): Promise<{server: TestServer; a: Device; b: Device}> {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a', {cookbook: true})
  const b = await makeDevice(t, server, 'b')
  await settle(a, b)
  return {server, a, b}
}

/** The paths of every journal entry of `recipes` (first 10,000). */
export async function journalPaths(server: TestServer): Promise<string[]> {
  return (await server.storage.journal.range('recipes', 0, 10_000)).map((entry) => entry.path)
}

/** The paths of the deletions in the journal of `recipes`. */
export async function deletionsSent(server: TestServer): Promise<string[]> {
  return (await server.storage.journal.range('recipes', 0, 10_000)).filter((entry) => entry.kind === 'deleted').map((entry) => entry.path)
}
