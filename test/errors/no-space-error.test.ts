/** What NoSpaceError.from takes for a full disk: the OS's codes as Node names them, lmdb-js's errno numbers, itself. */
import test from 'ava'
import {NoSpaceError} from '#src/errors/index.js'

const withCode = (code: unknown) => Object.assign(new Error('write failed'), {code})

test('ENOSPC and EDQUOT, by name (Node) or by number (lmdb-js), anywhere in the causes; a NoSpaceError is itself', (t) => {
  for (const code of ['ENOSPC', 'EDQUOT', 28, 122]) t.truthy(NoSpaceError.from(withCode(code)), String(code))
  t.truthy(NoSpaceError.from(new Error('commit failed', {cause: withCode(28)})))
  const refused = new NoSpaceError('no room')
  t.is(NoSpaceError.from(refused), refused)
  t.is(NoSpaceError.from(new Error('wrapped', {cause: refused})), refused)
})

test('other errors are not a full disk', (t) => {
  for (const code of ['EIO', 'EACCES', 5, 13, undefined]) t.is(NoSpaceError.from(withCode(code)), undefined, String(code))
  t.is(NoSpaceError.from('ENOSPC'), undefined)
})
