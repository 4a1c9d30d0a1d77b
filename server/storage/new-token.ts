/**
 * A new token: 32 random bytes, base64url. One that would start with '-' is drawn again: pasted after
 * `--revoke` or `--token`, an argument parser takes it for an option (1 token in 64 broke so).
 */
import {randomBytes} from 'node:crypto'

export function newToken(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const token = random(32).toString('base64url')
    if (!token.startsWith('-')) return token
  }
}
