/**
 * Every request's deadline: the whole exchange, answer included, ends by then however steadily bytes trickle
 * (the idle timeout never fires on a server that sends a byte a second). The default is twice the idle timeout
 * (which for a long-poll already holds its wait; past it, so that a silent server is reported as silent) plus
 * the time to move the body over a slow link: a big upload on a slow link is not cut, and nothing waits forever.
 */
import {NetworkError} from '../errors/index.js'

/** The slowest link a transfer is given time for: 256 KiB/s, about 2 Mbit/s. */
const FLOOR_BYTES_PER_SECOND = 256 * 1024

/** Twice the idle timeout plus the time `bytes` take at the floor rate. */
export function defaultDeadlineMs(idleMs: number, bytes: number): number {
  return 2 * idleMs + Math.ceil((bytes / FLOOR_BYTES_PER_SECOND) * 1000)
}

export function pastDeadline(origin: string, deadlineMs: number): NetworkError {
  return new NetworkError(`no complete answer from ${origin} within the request's deadline of ${deadlineMs} ms`)
}
