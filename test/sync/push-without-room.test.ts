/**
 * A device whose namespace is at its quota on the server (a 507 for its upload): it still sends what needs no
 * room (a deletion, a move) and the small file that fits, names the file the server has no room for, and still
 * receives; once there is room, the file goes. Real server (in this process, its quota read every USAGE_KEPT_MS of its clock), real folders.
 */
import {readFile, rename, unlink, writeFile} from 'node:fs/promises'
import test from 'ava'
import {USAGE_KEPT_MS} from '#server/http/quotas.js'
import {makeDevice} from '../helpers/device.js'
import {randomBytes} from '../helpers/random.js'
import {traffic} from '../helpers/traffic.js'
import {startTestServer} from '../helpers/server.js'
import {readTree} from '../helpers/tree.js'

test('at its quota, a device sends its deletions, moves and the files that fit, names the one with no room, and still receives; with room, it goes', async (t) => {
  let clock = 1_000_000
  const server = await startTestServer(t, {now: () => clock})
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  await writeFile(a.file('old.cook'), 'Old\n')
  await writeFile(a.file('keep.cook'), 'Keep\n')
  await a.pass()
  await b.pass()
  await server.storage.settings.setQuota('recipes', 1024 ** 2)
  clock += USAGE_KEPT_MS + 1
  const photo = randomBytes(2 * 1024 ** 2, 7)
  await writeFile(a.file('photo.jpg'), photo)
  await unlink(a.file('old.cook'))
  await rename(a.file('keep.cook'), a.file('kept.cook'))
  await writeFile(a.file('new.cook'), 'New\n')
  await writeFile(b.file('from-b.cook'), 'From b\n')
  await b.pass()

  const full = await a.pass()
  t.like(full, {uploaded: 1, deleted: 1, moved: 1, downloaded: 1})
  t.deepEqual(
    full.blocked.map(({path, side}) => ({path, side})),
    [{path: 'photo.jpg', side: 'up'}],
  )
  t.regex(full.blocked[0].reason, /^the server is out of space: namespace "recipes" is at its quota: .* of 1\.0 MiB kept/)
  t.is(await readFile(a.file('from-b.cook'), 'utf8'), 'From b\n')
  await b.pass()
  t.deepEqual(await readTree(b.root, 'utf8'), {'from-b.cook': 'From b\n', 'kept.cook': 'Keep\n', 'new.cook': 'New\n'}, 'the small file still went')

  // Still at its quota: the next pass sends its new recipe, and tries the photo once (not in a batch, then alone).
  await writeFile(a.file('later.cook'), 'Later\n')
  let again: Awaited<ReturnType<typeof a.pass>> | undefined
  const {sent} = await traffic(a, async () => (again = await a.pass()))
  t.like(again, {uploaded: 1, blocked: [{path: 'photo.jpg', side: 'up'}]})
  t.true(sent > photo.length && sent < 1.5 * photo.length, `${sent} bytes sent for a ${photo.length}-byte photo`)

  await server.storage.settings.setQuota('recipes', 8 * 1024 ** 2)
  clock += USAGE_KEPT_MS + 1
  const roomy = await a.pass()
  t.like(roomy, {uploaded: 1, blocked: []})
  await b.pass()
  t.true((await readFile(b.file('photo.jpg'))).equals(photo))
})
