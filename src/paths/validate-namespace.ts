/** Namespace names (docs/protocol.md, Conventions): they appear in URLs and name a folder in the server's data dir. */
import {InvalidInputError} from '../errors/index.js'

const NAMESPACE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

export function checkNamespace(name: string): string {
  if (!NAMESPACE.test(name)) {
    throw new InvalidInputError(
      `invalid namespace ${JSON.stringify(name.slice(0, 80))}: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    )
  }
  return name
}
