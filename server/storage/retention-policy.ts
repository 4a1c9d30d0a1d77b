/**
 * A namespace's retention (docs/storage.md, Retention): every version is kept for `keepDays`, then one a day for
 * `thinDays` more; a path's current version always, and a deleted path's last version for `keepDays` after its
 * deletion. Older versions are pruned, and garbage collection reclaims their chunks.
 */
import {InvalidInputError} from '#src/errors/index.js'

export interface RetentionPolicy {
  keepDays: number
  thinDays: number
}

export const DEFAULT_RETENTION: RetentionPolicy = {keepDays: 30, thinDays: 90}

/** Longer than anyone keeps a server: 1,000 years. */
const MAX_DAYS = 365_000

/** Checks one setting: a whole number of days, 0 or more. */
export function checkDays(name: keyof RetentionPolicy, days: number): number {
  if (!Number.isSafeInteger(days) || days < 0 || days > MAX_DAYS) throw new InvalidInputError(`${name}: a whole number of days, 0-${MAX_DAYS}`)
  return days
}
