/**
 * Named debug loggers, off unless asked for: NODE_DEBUG=sync-store (one part) or NODE_DEBUG=sync-* (all).
 * node's own util.debuglog: nothing to load at start-up, nothing printed by default. Library code logs only here.
 */
import {debuglog} from 'node:util'

export type Logger = (message: string, ...args: unknown[]) => void

export function logger(part: string): Logger {
  return debuglog(`sync-${part}`)
}
