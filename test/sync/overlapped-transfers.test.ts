/**
 * A first sync of more files than one commit batch, one page of changes and one fetch group: the sender commits a
 * batch while it uploads the next, the receiver asks for a page while it applies one and writes a group of
 * downloads while it fetches the next. Every file lands as written, every record is kept, and a version whose
 * chunks the server lacks, in a later group, waits alone. Real server, real folders.
 */
import {existsSync} from 'node:fs'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import test from 'ava'
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {fileManifest} from '#src/manifest/manifest.js'
import {makeDevice} from '../helpers/device.js'
import {plant} from '../helpers/plant-entry.js'
import {startTestServer} from '../helpers/server.js'

/** Over one commit batch (1,000 changes) and one first fetch group (256 files); pages of 100 changes. */
const FILES = 1_100

const textOf = (i: number) => `recipe ${i}\n>> serves: ${i % 7}\nsalt\n`
const pathOf = (i: number) => `d${i % 10}/r${String(i).padStart(4, '0')}.cook`

test('every file of a first sync larger than a batch, a page and a fetch group lands as written; a version the server lacks chunks of waits alone', async (t) => {
  const server = await startTestServer(t, {limits: {pageEntries: 100}})
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  for (let d = 0; d < 10; d++) await mkdir(a.file(`d${d}`))
  for (let i = 0; i < FILES; i++) await writeFile(a.file(pathOf(i)), textOf(i))
  t.is((await a.pass()).uploaded, FILES)
  // Every batch's records were kept: nothing is sent again.
  t.is((await a.pass()).uploaded, 0)
  // Sorted last, in a later fetch group than the first.
  const text = 'a line the server never got\n'
  await plant(server, 'zz/lost.cook', 'file', fileManifest(IdList.fromHex([sha256Hex(Buffer.from(text))]), text.length))
  const first = await b.pass()
  t.is(first.downloaded, FILES)
  for (let i = 0; i < FILES; i++) t.is(await readFile(b.file(pathOf(i)), 'utf8'), textOf(i))
  t.false(existsSync(b.file('zz/lost.cook')))
  t.deepEqual(
    first.blocked.map((x) => [x.path, x.reason]),
    [['zz/lost.cook', 'the server lacks 1 of its chunks']],
  )
  const again = await b.pass()
  t.is(again.downloaded, 0)
  t.is(again.uploaded, 0)
})
