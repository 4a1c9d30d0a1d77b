/** The journal's contract (server/storage/types.ts JournalStorage), the same assertions on every backend. */
import test from 'ava'
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {fileManifest, type StoredManifest} from '#src/manifest/manifest.js'
import type {JournalStorage, JournalView, NewEntry, ReadSet} from '#server/storage/types.js'
import {BACKENDS} from './backends.js'

const NS = 'home'
const ids = (...lines: string[]) => IdList.fromHex(lines.map((line) => sha256Hex(Buffer.from(line))))
const file = (path: string, prev: number | null, ...lines: string[]): NewEntry => ({
  path,
  prev,
  kind: 'file',
  device: 'laptop',
  time: 1_700_000_000_000,
  manifest: fileManifest(ids(...lines), lines.join('').length),
})
const deleted = (path: string, prev: number | null): NewEntry => ({path, prev, kind: 'deleted', device: 'laptop', time: 1_700_000_000_000})
const reads = (heads: string[], under: string[] = [], appends = 1): ReadSet => ({heads: new Set(heads), under: new Set(under), appends})

/** Appends `entry` unless its path moved past `base` (compare-and-set); returns the new JID, or undefined. */
const commitOn = (journal: JournalStorage, entry: NewEntry, base: number | null) =>
  journal.transact(NS, reads([entry.path]), (view: JournalView) => ((view.head(entry.path)?.jid ?? null) === base ? view.append(entry) : undefined))

for (const backend of BACKENDS) {
  const name = (what: string) => `${backend.name}: ${what}`

  test(name('concurrent commits get gap-free JIDs in order; compare-and-set lets exactly one of two win'), async (t) => {
    const {storage} = await backend.open(t)
    const {journal} = storage
    const jids = await Promise.all(Array.from({length: 20}, (_, i) => commitOn(journal, file(`f${i}.txt`, null, `${i}\n`), null)))
    t.deepEqual(
      [...jids].sort((a, b) => a! - b!),
      Array.from({length: 20}, (_, i) => i + 1),
    )
    t.is(await journal.head(NS), 20)
    t.deepEqual(
      (await journal.range(NS, 0, 100)).map((entry) => entry.jid),
      Array.from({length: 20}, (_, i) => i + 1),
    )
    const base = jids[0]!
    const both = await Promise.all([commitOn(journal, file('f0.txt', base, 'a\n'), base), commitOn(journal, file('f0.txt', base, 'b\n'), base)])
    t.is(both.filter((jid) => jid !== undefined).length, 1)
    t.deepEqual(
      both.filter((jid) => jid !== undefined),
      [21],
    )
    t.is(await journal.head(NS), 21)
    t.deepEqual(
      (await journal.range(NS, 18, 2)).map((entry) => entry.jid),
      [19, 20],
    )
  })

  test(name('among concurrent commits, one whose work throws after appending writes nothing; the others commit, gap-free'), async (t) => {
    const {journal} = (await backend.open(t)).storage
    const failing = new Set([3, 7, 8])
    const outcomes = await Promise.allSettled(
      Array.from({length: 16}, (_, i) =>
        journal.transact(NS, reads(['dir/shared.txt'], ['dir'], 2), (view) => {
          const jid = view.append(file(`dir/f${i}.txt`, null, `${i}\n`))
          // Each sees the commits before it: the first to come creates dir/shared.txt, the others find it there.
          if (view.head('dir/shared.txt') === undefined) view.append(file('dir/shared.txt', null, `from ${i}\n`))
          if (failing.has(i)) throw new Error(`work ${i} refused`)
          t.truthy(view.presentUnder('dir'))
          return jid
        }),
      ),
    )
    t.deepEqual(
      outcomes.flatMap((outcome, i) => (outcome.status === 'rejected' ? [[i, (outcome.reason as Error).message]] : [])),
      [...failing].map((i) => [i, `work ${i} refused`]),
    )
    const entries = await journal.range(NS, 0, 100)
    t.deepEqual(
      entries.map((entry) => entry.jid),
      Array.from({length: 14}, (_, i) => i + 1),
      'the refused works left no JID behind',
    )
    const paths = entries.map((entry) => entry.path)
    for (const i of failing) t.false(paths.includes(`dir/f${i}.txt`))
    t.is(paths.filter((path) => path === 'dir/shared.txt').length, 1, 'created once, by a work that committed')
    t.is(await journal.head(NS), 14)
  })

  test(name('a transaction reads its own writes; presentUnder follows them'), async (t) => {
    const {journal} = (await backend.open(t)).storage
    await journal.transact(NS, reads([], [], 2), (view) => {
      view.append(file('dir/a.txt', null, 'a\n'))
      view.append(file('dir/b.txt', null, 'b\n'))
    })
    const seen = await journal.transact(NS, reads(['dir/a.txt', 'dir/b.txt'], ['dir', 'di'], 3), (view) => {
      const before = view.presentUnder('dir')?.path
      const jid = view.append(deleted('dir/a.txt', 1))
      const own = view.head('dir/a.txt')
      const afterOne = view.presentUnder('dir')?.path
      const except = view.presentUnder('dir', 'dir/b.txt')?.path
      view.append(deleted('dir/b.txt', 2))
      return {before, jid, own: own && {jid: own.jid, kind: own.kind}, afterOne, except, afterBoth: view.presentUnder('dir'), other: view.presentUnder('di')}
    })
    t.deepEqual(seen, {
      before: 'dir/a.txt',
      jid: 3,
      own: {jid: 3, kind: 'deleted'},
      afterOne: 'dir/b.txt',
      except: undefined,
      afterBoth: undefined,
      other: undefined,
    })
    t.is(await journal.head(NS), 4)
  })

  test(name('reads outside the read set and appends past it throw, and the transaction writes nothing'), async (t) => {
    const {journal} = (await backend.open(t)).storage
    await t.throwsAsync(
      journal.transact(NS, reads(['a']), (view) => view.head('b')),
      {message: /outside the transaction's read set/},
    )
    await t.throwsAsync(
      journal.transact(NS, reads([]), (view) => view.presentUnder('dir')),
      {message: /outside the transaction's read set/},
    )
    await t.throwsAsync(
      journal.transact(NS, reads(['a'], [], 1), (view) => {
        view.append(file('a', null, 'x\n'))
        view.append(file('b', null, 'y\n'))
      }),
      {message: /more than the 1 appends/},
    )
    await t.throwsAsync(
      journal.transact(NS, reads(['a']), (view) => {
        view.append(file('a', null, 'x\n'))
        throw new Error('work failed')
      }),
      {message: 'work failed'},
    )
    t.is(await journal.head(NS), 0)
    t.deepEqual(await journal.range(NS, 0, 10), [])
    t.is(await commitOn(journal, file('a', null, 'x\n'), null), 1)
  })

  test(name('entries round-trip: files, symlinks, trees, moves and tombstones read back as written'), async (t) => {
    const {journal} = (await backend.open(t)).storage
    const tree: StoredManifest = {kind: 'tree', size: 123_456_789, exec: true, tree: {root: sha256Hex(Buffer.from('root')), depth: 1, count: 5000}}
    const written: NewEntry[] = [
      file('a.cook', null, 'Risotto\n', '@rice{300%g}\n'),
      {path: 'link', prev: null, kind: 'symlink', device: 'phone', time: 5, manifest: {kind: 'symlink', target: '../a.cook'}},
      {path: 'big.bin', prev: null, kind: 'file', device: 'laptop', time: 6, manifest: tree},
      {...file('b.cook', null, 'Risotto\n', '@rice{300%g}\n'), from: 'a.cook', fromPrev: 1},
      deleted('link', 2),
      {...file('exec.sh', null, '#!/bin/sh\n'), manifest: fileManifest(ids('#!/bin/sh\n'), 10, true)},
    ]
    await journal.transact(NS, reads([], [], written.length), (view) => {
      for (const entry of written) view.append(entry)
    })
    const read = await journal.range(NS, 0, 10)
    t.is(read.length, written.length)
    read.forEach((entry, i) => {
      t.like(entry, {jid: i + 1, path: written[i].path, prev: written[i].prev, kind: written[i].kind, device: written[i].device, time: written[i].time})
      const manifest = written[i].manifest
      if (manifest?.kind === 'file') {
        t.like(entry.manifest, {kind: 'file', size: manifest.size, exec: manifest.exec})
        t.deepEqual((entry.manifest as typeof manifest).ids.toHexArray(), manifest.ids.toHexArray())
      } else t.deepEqual(entry.manifest, manifest)
    })
    t.like(read[3], {from: 'a.cook', fromPrev: 1})
    t.deepEqual(await journal.entry(NS, 3), read[2])
    t.is(await journal.entry(NS, 7), undefined)
    t.is(await journal.entry(NS, 0), undefined)
    t.deepEqual(await journal.entriesAt(NS, [5, 3, 0, 99, 3, 1]), [read[0], read[2], read[4]], 'those that exist, once each, in JID order')
    t.deepEqual(await journal.entriesAt(NS, []), [])
  })

  test(name('heads: present paths in byte order, paged, as of the head JID'), async (t) => {
    const {journal} = (await backend.open(t)).storage
    const paths = ['b', 'a/x', 'a', 'Z', 'é', 'a0', 'a/y']
    await journal.transact(NS, reads([], [], paths.length + 2), (view) => {
      for (const path of paths) view.append(file(path, null, `${path}\n`))
      view.append(deleted('a0', 6))
      view.append({...file('c', null, 'b\n'), from: 'b', fromPrev: 1})
    })
    const all = await journal.heads(NS, undefined, 100)
    const byteOrder = ['Z', 'a', 'a/x', 'a/y', 'c', 'é']
    t.deepEqual(
      all.heads.map((head) => head.path),
      byteOrder,
    )
    t.is(all.jid, 9)
    t.false(all.more)
    const first = await journal.heads(NS, undefined, 2)
    t.deepEqual(
      first.heads.map((head) => head.path),
      ['Z', 'a'],
    )
    t.true(first.more)
    const next = await journal.heads(NS, 'a', 3)
    t.deepEqual(
      next.heads.map((head) => head.path),
      ['a/x', 'a/y', 'c'],
    )
    t.true(next.more)
    t.is((await journal.heads('empty', undefined, 10)).jid, 0)
  })

  test(name('pathLog: a path’s entries below a JID, newest first, moves away included'), async (t) => {
    const {journal} = (await backend.open(t)).storage
    await commitOn(journal, file('a', null, '1\n'), null)
    await commitOn(journal, file('other', null, '1\n'), null)
    await commitOn(journal, file('a', 1, '2\n'), 1)
    await journal.transact(NS, reads(['a', 'b']), (view) => view.append({...file('b', null, '2\n'), from: 'a', fromPrev: 3}))
    const log = async (path: string, before: number, limit: number) => (await journal.pathLog(NS, path, before, limit)).map((entry) => entry.jid)
    t.deepEqual(await log('a', 100, 10), [4, 3, 1])
    t.deepEqual(await log('a', 4, 10), [3, 1])
    t.deepEqual(await log('a', 100, 2), [4, 3])
    t.deepEqual(await log('b', 100, 10), [4])
    t.deepEqual(await log('never', 100, 10), [])
  })

  test(name('prune drops manifests of old versions, keeps sizes, and never a head'), async (t) => {
    const {journal} = (await backend.open(t)).storage
    await commitOn(journal, file('a', null, 'one\n'), null)
    await commitOn(journal, file('a', 1, 'two two\n'), 1)
    t.is(await journal.prune(NS, [1, 2, 99]), 1)
    const old = await journal.entry(NS, 1)
    t.true(old?.pruned)
    t.is(old?.manifest, undefined)
    t.is(old?.size, 4)
    t.is(old?.exec, false)
    t.truthy((await journal.entry(NS, 2))?.manifest)
    t.is(await journal.prune(NS, [1]), 0)
    t.is(await journal.prune(NS, []), 0)
  })

  test(name('a commit that resolved survives a restart; namespaces are apart'), async (t) => {
    const backendOpen = await backend.open(t)
    await commitOn(backendOpen.storage.journal, file('a', null, 'one\n'), null)
    await backendOpen.storage.journal.transact('other', reads(['x']), (view) => view.append(file('x', null, 'x\n')))
    const again = await backendOpen.reopen()
    t.is(await again.journal.head(NS), 1)
    t.is((await again.journal.entry(NS, 1))?.path, 'a')
    t.is((await again.journal.range('other', 0, 10)).length, 1)
    t.is(await commitOn(again.journal, file('a', 1, 'two\n'), 1), 2)
  })
}
