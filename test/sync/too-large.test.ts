/**
 * A change the server refuses as too large for one request (its JSON body limit, set small here): that file is
 * reported by name and every other change of the same pass is still committed.
 */
import {writeFile} from 'node:fs/promises'
import test from 'ava'
import {makeDevice} from '../helpers/device.js'
import {startTestServer} from '../helpers/server.js'
import {fileIs} from '../helpers/wait-for.js'

test('a file too large for one request is reported by name; the other files of the pass are sent', async (t) => {
  const server = await startTestServer(t, {limits: {jsonBody: 64 * 1024}})
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  // 3,000 distinct lines: 3,000 ids, about 200 KB of JSON in a commit.
  const big = Array.from({length: 3000}, (_, i) => `line ${i} of a long list\n`).join('')
  await writeFile(a.file('big.txt'), big)
  for (const name of ['one', 'two', 'three']) await writeFile(a.file(`${name}.cook`), `${name}\n`)
  const summary = await a.pass()
  t.is(summary.uploaded, 3)
  t.deepEqual(
    summary.blocked.map(({path, side}) => ({path, side})),
    [{path: 'big.txt', side: 'up'}],
  )
  t.regex(summary.blocked[0].reason, /^too large to send: the request body is over the limit of 65536 bytes$/)
  t.true(
    a.events.some((event) => event.type === 'blocked' && event.path === 'big.txt'),
    'said once, by name',
  )
  await b.pass()
  for (const name of ['one', 'two', 'three']) t.true(await fileIs(b.file(`${name}.cook`), `${name}\n`))
  t.false(await fileIs(b.file('big.txt'), big))
})
