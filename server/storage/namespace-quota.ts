/**
 * A namespace's quota: the bytes of chunk packs it may keep on the server (`sync-server namespace set NS --quota
 * 5G`); none by default. A write that would take a namespace past it is refused with 507 E_NO_SPACE
 * (server/http/quotas.ts), so one token, stolen or careless, cannot fill the disk every namespace shares.
 */
import {InvalidInputError} from '#src/errors/index.js'
import {bytesFromText} from '#src/util/size-text.js'

/** The least quota taken: below it a namespace could not hold one pack. */
export const MIN_QUOTA = 1024 ** 2

/** Checks a quota in bytes: a whole number, at least MIN_QUOTA. */
export function checkQuota(bytes: number): number {
  if (!Number.isSafeInteger(bytes) || bytes < MIN_QUOTA) throw new InvalidInputError(`a quota is at least 1M (${MIN_QUOTA} bytes), a whole number of bytes`)
  return bytes
}

/** Bytes from `500M`, `5G`, `1.5t`, `2097152` (k = 1024); `none` is no quota (null). */
export function parseQuota(text: string): number | null {
  const value = text.trim()
  if (value === 'none') return null
  const bytes = bytesFromText(value)
  if (Number.isNaN(bytes)) throw new InvalidInputError(`--quota: a size like 500M, 5G or 1T (k = 1024), or none; not ${JSON.stringify(text)}`)
  return checkQuota(bytes)
}

/** `5.0 GiB`, `512.0 MiB`, `300 KiB`: for people reading a quota or a usage. */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [
    ['TiB', 1024 ** 4],
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
  ] as const) {
    if (bytes >= size) return `${(bytes / size).toFixed(1)} ${unit}`
  }
  return `${Math.ceil(bytes / 1024)} KiB`
}
