/** Byte counts as people write them: `500k`, `2M`, `1.5g`, `5GiB`, `1T`, `800000` (k = 1024, units up to `largest`); NaN for anything else. */
const UNITS: Record<string, number> = {'': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4}
const SIZE = /^(\d+(?:\.\d+)?)([kmgt]?)(?:i?b)?$/i

export function bytesFromText(text: string, largest: 'g' | 't' = 't'): number {
  const match = SIZE.exec(text)
  const unit = match?.[2].toLowerCase()
  return match && !(largest === 'g' && unit === 't') ? Math.floor(Number(match[1]) * UNITS[unit!]) : NaN
}
