/**
 * The `User-Agent` of every request: `sync/VERSION protocol/N`, this package's version and the protocol it speaks,
 * so that the server can show which client each device runs, tell it a newer one is available, and serve an older
 * protocol read-only (docs/protocol.md, Versions). Short on purpose (HTTP/1.1 sends it with every request; HTTP/2
 * once, then as an index).
 *
 * SYNC_TEST_ANNOUNCE_PROTOCOL=N makes this client announce protocol N instead: for tests only (an old-protocol
 * client against a newer server, test/sync/old-protocol-client.test.ts); nothing else about the client changes.
 */
import {PROTOCOL_VERSION} from '../protocol/version.js'
import {PACKAGE_VERSION} from '../util/package-version.js'

function announcedProtocol(): number {
  const forced = Number(process.env.SYNC_TEST_ANNOUNCE_PROTOCOL)
  return Number.isInteger(forced) && forced > 0 ? forced : PROTOCOL_VERSION
}

/** The protocol this client says it speaks. */
export const ANNOUNCED_PROTOCOL = announcedProtocol()

/**
 * `refs`: this client reads edits that name inline chunks by position (docs/protocol.md, edit refs). `lean`: it
 * reads answers that leave out what it can infer (a committed item's result as its JID; `head` and `more` of a
 * `changes` page that reaches the head).
 */
export const USER_AGENT = `sync/${PACKAGE_VERSION} protocol/${ANNOUNCED_PROTOCOL} refs lean`

/** `sealed`: the client of an encrypted folder (docs/protocol.md, Encryption); the server of an encrypted namespace answers no other. */
export const SEALED_USER_AGENT = `${USER_AGENT} sealed`

const AGENT = /^sync\/(\S+)(?: protocol\/(\d{1,6}))?(?:\s|$)/

/** The client's version and protocol from its User-Agent; undefined for another program. No protocol: this protocol's (a client from before they were announced). */
export function parseUserAgent(agent: string | undefined): {version: string; protocol: number; editRefs: boolean; lean: boolean; sealed: boolean} | undefined {
  const match = agent === undefined ? null : AGENT.exec(agent)
  if (!match) return undefined
  return {
    version: match[1],
    protocol: match[2] === undefined ? PROTOCOL_VERSION : Number(match[2]),
    editRefs: / refs(\s|$)/.test(agent!),
    lean: / lean(\s|$)/.test(agent!),
    sealed: / sealed(\s|$)/.test(agent!),
  }
}
