/**
 * An encrypted folder's key, `.sync/keys.json` (mode 0600): the key derived from the passphrase, never the
 * passphrase, never in config.json, never sent. Without it an encrypted folder does not sync (it says why).
 */
import {readFile} from 'node:fs/promises'
import {InvalidInputError} from '../errors/index.js'
import {KEY_BYTES} from '../crypto/passphrase-key.js'
import {writeFileAtomic} from '../util/write-file-atomic.js'

export async function writeFolderKey(file: string, key: Buffer): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify({version: 1, key: key.toString('base64')})}\n`, {mode: 0o600})
}

export async function readFolderKey(file: string): Promise<Buffer> {
  let parsed: {version?: unknown; key?: unknown}
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    throw new InvalidInputError(
      `cannot read this encrypted folder's key (${file}: ${(error as Error).message}); 'sync init --encrypt' in a new folder derives it again from the passphrase`,
      {file},
    )
  }
  const key = typeof parsed?.key === 'string' ? Buffer.from(parsed.key, 'base64') : undefined
  if (parsed?.version !== 1 || key?.length !== KEY_BYTES) throw new InvalidInputError(`${file} is not a sync folder key (version 1)`, {file})
  return key
}
