/**
 * Token names: a device name, unique in its namespace (admin tokens: among admin tokens). A token made without
 * one, and one stored before tokens had names, is named after its hash.
 */
import {InvalidInputError} from '#src/errors/index.js'

/** As namespaces: a leading '-' would be read as an option where a name is an argument (`token revoke NAME`). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

export function checkTokenName(name: string): string {
  if (!NAME.test(name)) {
    throw new InvalidInputError(
      `invalid device name ${JSON.stringify(name.slice(0, 80))}: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    )
  }
  return name
}

/** The name of a token that was given none: `token-` and the first 6 hex digits of the hash of the token. */
export const generatedName = (hashHex: string): string => `token-${hashHex.slice(0, 6)}`
