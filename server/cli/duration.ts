/** A duration flag: a whole number and a unit, s m h or d (`24h`, `30m`). */
import {InvalidInputError} from '#src/errors/index.js'

const UNITS: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000}

export function parseDuration(flag: string, text: string): number {
  const match = /^(\d{1,9})([smhd])$/.exec(text)
  if (!match) throw new InvalidInputError(`${flag}: a whole number and a unit, s m h or d (24h, 30m), not '${text}'`)
  return Number(match[1]) * UNITS[match[2]]
}
