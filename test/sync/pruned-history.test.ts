/**
 * Devices and a journal whose old versions were pruned (server retention, docs/protocol.md): a new device syncs
 * the heads, a device offline for longer than the retention still learns that a moved file left its old path,
 * and restoring a pruned version is refused by name.
 */
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import test, {type ExecutionContext} from 'ava'
import {DAY_MS} from '#server/gc/plan-retention.js'
import {runGc} from '#server/gc/run-gc.js'
import {recordEntry} from '#src/sync/remote-tree.js'
import {restoreVersion} from '#src/sync/restore-version.js'
import {makeDevice} from '../helpers/device.js'
import {startTestServer} from '../helpers/server.js'

test('past retention: a new device gets the heads, an old one learns of a pruned move, a pruned version is not restored', async (t) => {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const old = await makeDevice(t, server, 'old')
  await writeFile(a.file('soup.cook'), 'soup, first\n')
  await a.pass()
  await old.pass()
  t.is(await readFile(old.file('soup.cook'), 'utf8'), 'soup, first\n')
  // While `old` is away: a move, then edits of the moved file (the move is then no head but of its old path).
  await mkdir(a.file('stews'))
  await rename(a.file('soup.cook'), a.file('stews/soup.cook'))
  await a.pass()
  const moveJid = a.syncer.state.get('stews/soup.cook')!.base!.jid
  for (const text of ['soup, second\n', 'soup, third\n']) {
    await writeFile(a.file('stews/soup.cook'), text)
    await a.pass()
  }
  const [report] = await runGc(server.storage, {now: Date.now() + 200 * DAY_MS, graceMs: 0})
  t.true(report.prunedVersions >= 2, `${report.prunedVersions} versions pruned`)
  t.like(await a.client.entry(moveJid), {pruned: true, from: 'soup.cook'})

  const fresh = await makeDevice(t, server, 'fresh')
  await fresh.pass()
  t.is(await readFile(fresh.file('stews/soup.cook'), 'utf8'), 'soup, third\n')

  await old.pass()
  t.is(await readFile(old.file('stews/soup.cook'), 'utf8'), 'soup, third\n')
  await t.throwsAsync(readFile(old.file('soup.cook')), {code: 'ENOENT'}, 'the old path is gone here too')
  await a.pass()
  t.is(a.syncer.state.get('soup.cook')?.remote?.manifest, undefined, 'and did not come back to the server')

  await t.throwsAsync(restoreVersion(a.syncer, 'stews/soup.cook', moveJid), {code: 'E_NOT_FOUND', message: /was pruned/})
  t.is(await readFile(a.file('stews/soup.cook'), 'utf8'), 'soup, third\n', 'nothing written')
})

const RISOTTO = ['Risotto\n', '@rice{300%g}\n', '@stock{1%l}\n', 'Stir.\n']

/** Devices `a` and `away`, both holding the same risotto. */
async function risottoOnTwo(t: ExecutionContext) {
  const server = await startTestServer(t)
  const a = await makeDevice(t, server, 'a')
  const away = await makeDevice(t, server, 'away')
  await writeFile(a.file('risotto.cook'), RISOTTO.join(''))
  await a.pass()
  await away.pass()
  return {server, a, away, lines: RISOTTO}
}

test('a device offline past the retention, with an edit of a version since pruned, merges it with the head (no failed pass)', async (t) => {
  const {server, a, away, lines} = await risottoOnTwo(t)
  for (const stir of ['Stir often.\n', 'Stir all the time.\n']) {
    await writeFile(a.file('risotto.cook'), [lines[0], lines[1], lines[2], stir].join(''))
    await a.pass()
  }
  const [report] = await runGc(server.storage, {now: Date.now() + 200 * DAY_MS, graceMs: 0})
  t.true(report.prunedVersions >= 2)
  await writeFile(away.file('risotto.cook'), [lines[0], '@rice{350%g}\n', lines[2], lines[3]].join(''))
  const summary = await away.pass()
  t.is(summary.conflicts.length, 0, 'merged, not a conflict copy')
  const merged = ['Risotto\n', '@rice{350%g}\n', '@stock{1%l}\n', 'Stir all the time.\n'].join('')
  t.is(await readFile(away.file('risotto.cook'), 'utf8'), merged)
  await a.pass()
  t.is(await readFile(a.file('risotto.cook'), 'utf8'), merged)
})

test('a merge with a version pruned since this device read it skips the file for this pass, and merges with the head at the next (chaos seed 965)', async (t) => {
  const {server, a, away, lines} = await risottoOnTwo(t)
  // Lines of its own, most of what the server holds: its pack is rewritten without them once it is pruned.
  const steps = Array.from({length: 30}, (_, i) => `Stir, step ${i}.\n`)
  await writeFile(a.file('risotto.cook'), [...lines, ...steps].join(''))
  await a.pass()
  // `away` reads that version (as a commit's conflict answer tells it the head), and has not merged it yet when
  // it is replaced, pruned and its chunks collected.
  const read = await away.client.entry(a.syncer.state.get('risotto.cook')!.base!.jid)
  recordEntry(away.syncer.state, read, read.manifest)
  await writeFile(a.file('risotto.cook'), [lines[0], lines[1], lines[2], 'Stir all the time.\n'].join(''))
  await a.pass()
  const [report] = await runGc(server.storage, {now: Date.now() + 200 * DAY_MS, graceMs: 0})
  t.like(report, {prunedVersions: 2, rewrittenPacks: 1})
  await writeFile(away.file('risotto.cook'), [lines[0], '@rice{350%g}\n', lines[2], lines[3]].join(''))
  const stale = await away.syncer.pass({pull: false})
  t.deepEqual(stale.blocked, [{path: 'risotto.cook', reason: 'the server lacks 30 of its chunks', side: 'disk'}])
  t.is(await readFile(away.file('risotto.cook'), 'utf8'), [lines[0], '@rice{350%g}\n', lines[2], lines[3]].join(''), 'the edit is still here')
  const next = await away.pass()
  t.like(next, {merged: 1, conflicts: [], blocked: []})
  const merged = ['Risotto\n', '@rice{350%g}\n', '@stock{1%l}\n', 'Stir all the time.\n'].join('')
  t.is(await readFile(away.file('risotto.cook'), 'utf8'), merged)
  await a.pass()
  t.is(await readFile(a.file('risotto.cook'), 'utf8'), merged)
})
