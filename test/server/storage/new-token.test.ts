import test from 'ava'
import {newToken} from '#server/storage/new-token.js'

test('a token never starts with a dash (an argument parser would take it for an option); one that would is drawn again', (t) => {
  // 0xF8 = 111110.. encodes as '-' first in base64url.
  const draws = [Buffer.alloc(32, 0xf8), Buffer.alloc(32, 0xf8), Buffer.alloc(32, 0x41)]
  const token = newToken(() => draws.shift()!)
  t.is(draws.length, 0, 'the two draws that began with a dash were thrown away')
  t.is(token, Buffer.alloc(32, 0x41).toString('base64url'))
  t.regex(newToken(), /^[A-Za-z0-9_][A-Za-z0-9_-]{42}$/)
})
