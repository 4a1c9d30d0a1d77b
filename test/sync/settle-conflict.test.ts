/**
 * Settling a conflict copy as the daemon carries it out (the request a web page hands over, folder-requests.ts):
 * keep mine, keep theirs, keep both, on two devices through a real server. The other device converges, and the
 * version dropped comes back with `restore` from the JID the result names. Refusals change nothing.
 */
import {readFile, writeFile} from 'node:fs/promises'
import test from 'ava'
import {carryOut} from '#src/sync/folder-requests.js'
import {restoreVersion} from '#src/sync/restore-version.js'
import type {SettleResult} from '#src/sync/settle-conflict.js'
import {makeDevice, type Device} from '../helpers/device.js'
import {startTestServer} from '../helpers/server.js'
import {readTree} from '../helpers/tree.js'

const COPY = 'Risotto (conflict a 2026-11-25 120000).cook'

/** Two devices that edited the same line of Risotto.cook: a holds b's version at the path and its own as COPY. */
async function conflicted(t: Parameters<typeof makeDevice>[0]): Promise<{a: Device; b: Device}> {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const b = await makeDevice(t, server, 'b')
  await writeFile(a.file('Risotto.cook'), 'rice\nstock\n')
  await a.pass()
  await b.pass()
  await writeFile(b.file('Risotto.cook'), 'rice\nstock from b\n')
  await b.pass()
  await writeFile(a.file('Risotto.cook'), 'rice\nstock from a\n')
  t.deepEqual((await a.pass()).conflicts, [COPY])
  return {a, b}
}

const settle = (device: Device, keep: string, copy = COPY) => carryOut(device.syncer, {type: 'settle-conflict', copy, keep}) as Promise<SettleResult>

test('keep mine: the copy takes the path and goes; b converges; theirs is restorable', async (t) => {
  const {a, b} = await conflicted(t)
  const result = await settle(a, 'mine')
  t.like(result, {path: 'Risotto.cook', copy: COPY, keep: 'mine', dropped: {path: 'Risotto.cook'}})
  t.deepEqual(await readTree(a.root), {'Risotto.cook': 'rice\nstock from a\n'})
  await b.pass()
  t.deepEqual(await readTree(b.root), await readTree(a.root))
  await restoreVersion(a.syncer, 'Risotto.cook', result.dropped!.jid)
  t.is(await readFile(a.file('Risotto.cook'), 'utf8'), 'rice\nstock from b\n')
})

test('keep theirs: the copy goes; b converges; the copy is restorable', async (t) => {
  const {a, b} = await conflicted(t)
  const result = await settle(a, 'theirs')
  t.like(result, {keep: 'theirs', dropped: {path: COPY}})
  t.deepEqual(await readTree(a.root), {'Risotto.cook': 'rice\nstock from b\n'})
  await b.pass()
  t.deepEqual(await readTree(b.root), await readTree(a.root))
  await restoreVersion(a.syncer, COPY, result.dropped!.jid)
  t.is(await readFile(a.file(COPY), 'utf8'), 'rice\nstock from a\n')
})

test('keep both: the copy gets an ordinary name, sent as a move; b converges', async (t) => {
  const {a, b} = await conflicted(t)
  await b.pass()
  t.like(await settle(a, 'both'), {keep: 'both', renamedTo: 'Risotto (a 2026-11-25 120000).cook'})
  const both = {'Risotto.cook': 'rice\nstock from b\n', 'Risotto (a 2026-11-25 120000).cook': 'rice\nstock from a\n'}
  t.deepEqual(await readTree(a.root), both)
  b.events.length = 0
  await b.pass()
  t.deepEqual(await readTree(b.root), both)
  t.like(b.events, [{type: 'move-local', from: COPY}])
})

test('refused, changing nothing: not a conflict copy, an unknown copy, a bad keep, a path outside the folder, mine with no file beside', async (t) => {
  const {a} = await conflicted(t)
  const before = await readTree(a.root)
  const refused = async (request: Record<string, unknown>, code: string) =>
    t.is((await t.throwsAsync<Error & {code: string}>(carryOut(a.syncer, {type: 'settle-conflict', keep: 'mine', ...request})))?.code, code)
  await refused({copy: 'Risotto.cook'}, 'E_INVALID_INPUT')
  await refused({copy: 'Soup (conflict a 2026-11-25 120000).cook'}, 'E_NOT_FOUND')
  await refused({copy: COPY, keep: 'all'}, 'E_INVALID_INPUT')
  await refused({copy: '../Risotto (conflict a 2026-11-25 120000).cook'}, 'E_INVALID_PATH')
  t.deepEqual(await readTree(a.root), before)
  // A copy whose file is not beside it (a long name shortened to fit its label): mine is not written elsewhere.
  const alone = 'Soup (conflict a 2026-11-25 120000).cook'
  await writeFile(a.file(alone), 'soup\n')
  await refused({copy: alone}, 'E_NOT_FOUND')
  t.deepEqual(await readTree(a.root), {...before, [alone]: 'soup\n'})
})
