/**
 * Names on disk that are not UTF-8 (a file copied from an old Latin-1 system, say). Node lists a folder's names as
 * strings, putting U+FFFD where bytes are not UTF-8, and a path built from such a name reaches nothing: left alone,
 * the scan would skip the file, or everything in the folder, without a word. Sync names files in UTF-8 (the
 * protocol's paths are UTF-8), so these are reported as names that cannot sync, for the user to rename.
 */
import {readdirSync} from 'node:fs'

export const mayNotBeUtf8 = (name: string) => name.includes('\uFFFD')

export const NOT_UTF8_REASON = 'its name is not UTF-8: rename it to sync it'

/**
 * The names (as Node lists them, with U+FFFD) of the folder's entries whose bytes are not UTF-8. Callers ask only
 * once a listed name holds U+FFFD (`mayNotBeUtf8`): a name can hold it itself, so only then is the folder read
 * again, as bytes.
 */
export function namesNotUtf8(folder: string): Set<string> {
  const bad = new Set<string>()
  let raw: Buffer[]
  try {
    raw = readdirSync(folder, {encoding: 'buffer'})
  } catch {
    return bad
  }
  for (const name of raw) {
    const text = name.toString('utf8')
    if (text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(name)) bad.add(text)
  }
  return bad
}
