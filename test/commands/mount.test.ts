/**
 * `sync mount` / `sync unmount` as users meet them: a real sync-server on a loopback port, real folders, the CLI as a
 * subprocess. A mount syncs its own namespace (or a sub-tree of one) inside a folder, which never sends it into
 * its own namespace.
 */
import {mkdir, readFile, readdir, rename, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {startCliDaemon} from '../helpers/cli-daemon.js'
import {runSync, text} from '../helpers/cli.js'
import {cliNamespace, initDevice} from '../helpers/cli-namespace.js'
import {initFolder} from '#src/folder/init-folder.js'
import {mountNamespace} from '#src/folder/mount-folder.js'
import {fileIs, waitFor} from '../helpers/wait-for.js'

type Entry = {path: string; from?: string; device: string}

/** A server with the outer namespace `recipes` (device `laptop`), and a second namespace `family` with a writer device. */
async function twoNamespaces(t: Parameters<typeof cliNamespace>[0]) {
  const space = await cliNamespace(t)
  const familyToken = (readOnly: boolean) => space.newToken({namespace: 'family', readOnly})
  const writer = await initDevice(path.join(space.work, 'writer'), {
    url: space.server.url,
    namespace: 'family',
    token: await familyToken(false),
    device: 'grandma',
  })
  const laptop = await space.device('laptop')
  return {...space, familyToken, writer, laptop}
}

async function ok(t: Parameters<typeof cliNamespace>[0], args: string[], cwd: string) {
  const run = await runSync(args, {cwd})
  t.is(run.exitCode, 0, `${args.join(' ')}: ${text(run.stderr)}${text(run.stdout)}`)
  return text(run.stdout)
}

const write = async (file: string, content: string) => {
  await mkdir(path.dirname(file), {recursive: true})
  await writeFile(file, content)
}

const journal = async (cwd: string): Promise<Entry[]> => JSON.parse(text((await runSync(['list', '--json'], {cwd})).stdout)).entries

test('a read-only mount: its files arrive and updates flow, the outer namespace never gets them, local edits there are kept', async (t) => {
  const {familyToken, writer, laptop} = await twoNamespaces(t)
  await write(path.join(writer, 'cakes/chocolate.cook'), 'Melt @chocolate{200%g}.\nBake 25 minutes.\n')
  await ok(t, ['once'], writer)
  await write(path.join(laptop, 'risotto.cook'), 'Stir.\n')

  const mounted = JSON.parse(await ok(t, ['mount', 'family', 'shared/family', '--token', await familyToken(true), '--json'], laptop))
  t.like(mounted, {path: 'shared/family', namespace: 'family', rights: 'read-only'})
  await ok(t, ['once'], laptop)
  const mine = path.join(laptop, 'shared/family/cakes/chocolate.cook')
  t.is(await readFile(mine, 'utf8'), 'Melt @chocolate{200%g}.\nBake 25 minutes.\n')

  // Updates flow in.
  await write(path.join(writer, 'cakes/chocolate.cook'), 'Melt @chocolate{250%g}.\nBake 25 minutes.\n')
  await ok(t, ['once'], writer)
  await ok(t, ['once'], laptop)
  t.is(await readFile(mine, 'utf8'), 'Melt @chocolate{250%g}.\nBake 25 minutes.\n')

  // A local edit in the read-only mount is kept and listed, never sent; the namespace's own edit of the same line
  // then lands beside it, and the local one is still there (as the file or as a conflict copy).
  await writeFile(mine, 'Melt @chocolate{300%g}.\nBake 25 minutes.\n')
  const kept = await ok(t, ['once'], laptop)
  t.regex(kept, /shared\/family: .*1 local changes kept here/)
  t.is(await readFile(mine, 'utf8'), 'Melt @chocolate{300%g}.\nBake 25 minutes.\n')
  const status = JSON.parse(await ok(t, ['status', '--json'], laptop))
  t.like(status.mounts[0], {path: 'shared/family', namespace: 'family', readOnly: true, pendingUploads: [{path: 'cakes/chocolate.cook', change: 'modified'}]})
  t.regex(await ok(t, ['status'], laptop), /^mount shared\/family: namespace family, read-only; 1 kept here/m)
  await write(path.join(writer, 'cakes/chocolate.cook'), 'Melt @chocolate{100%g}.\nBake 25 minutes.\n')
  await ok(t, ['once'], writer)
  await runSync(['once'], {cwd: laptop})
  const folder = path.join(laptop, 'shared/family/cakes')
  const contents = await Promise.all((await readdir(folder)).map((name) => readFile(path.join(folder, name), 'utf8')))
  t.true(
    contents.some((content) => content.includes('{300%g}')),
    contents.join('|'),
  )
  t.true(
    contents.some((content) => content.includes('{100%g}')),
    contents.join('|'),
  )

  // Nothing of the mount reached either namespace from this device.
  t.false((await journal(writer)).some((entry) => entry.device === 'laptop'))
  t.deepEqual(
    (await journal(laptop)).map((entry) => entry.path),
    ['risotto.cook'],
  )
})

test('a sub-tree mount gets only its prefix, sends its edits back under it, and sees moves across its edge as a creation and a deletion', async (t) => {
  const {familyToken, writer, laptop} = await twoNamespaces(t)
  await write(path.join(writer, 'recipes/italian/carbonara.cook'), 'Fry @guanciale{100%g}.\n')
  await write(path.join(writer, 'recipes/french/crepes.cook'), 'Whisk.\n')
  await write(path.join(writer, 'cakes/tiramisu.cook'), 'Layer.\n')
  await ok(t, ['once'], writer)

  await ok(t, ['mount', 'family:recipes/italian', 'italian', '--token', await familyToken(false)], laptop)
  await ok(t, ['once'], laptop)
  const italian = path.join(laptop, 'italian')
  t.deepEqual(
    (await readdir(italian)).filter((name) => name !== '.sync'),
    ['carbonara.cook'],
  )

  // Edits and new files go back under the prefix.
  await writeFile(path.join(italian, 'carbonara.cook'), 'Fry @guanciale{150%g}.\n')
  await write(path.join(italian, 'pasta/cacio.cook'), 'Toss.\n')
  await ok(t, ['once'], laptop)
  const fromLaptop = (await journal(writer)).filter((entry) => entry.device === 'laptop').map((entry) => entry.path)
  t.deepEqual(fromLaptop.sort(), ['recipes/italian/carbonara.cook', 'recipes/italian/pasta/cacio.cook'])
  await ok(t, ['once'], writer)
  t.is(await readFile(path.join(writer, 'recipes/italian/carbonara.cook'), 'utf8'), 'Fry @guanciale{150%g}.\n')

  // A move out of the prefix is a deletion here; a move into it, a creation.
  await rename(path.join(writer, 'recipes/italian/pasta/cacio.cook'), path.join(writer, 'cakes/cacio.cook'))
  await mkdir(path.join(writer, 'recipes/italian/dolci'))
  await rename(path.join(writer, 'cakes/tiramisu.cook'), path.join(writer, 'recipes/italian/dolci/tiramisu.cook'))
  const moved = await ok(t, ['once'], writer)
  t.regex(moved, /sent move of recipes\/italian\/pasta\/cacio.cook -> cakes\/cacio.cook/)
  t.regex(moved, /sent move of cakes\/tiramisu.cook -> recipes\/italian\/dolci\/tiramisu.cook/)
  const pass = await ok(t, ['once'], laptop)
  t.regex(pass, /^italian: deleted \(remote\) pasta\/cacio.cook/m)
  t.regex(pass, /^italian: received dolci\/tiramisu.cook/m)
  t.is(await readFile(path.join(italian, 'dolci/tiramisu.cook'), 'utf8'), 'Layer.\n')
  await t.throwsAsync(readFile(path.join(italian, 'pasta/cacio.cook')))
  t.false((await readdir(laptop, {recursive: true})).some((name) => name.includes('crepes')))
})

test('init --namespace NS:PREFIX: a top-level sub-tree folder; a path under the prefix that would land in its .sync is refused by the server', async (t) => {
  const {familyToken, writer, server, work} = await twoNamespaces(t)
  await write(path.join(writer, 'recipes/italian/carbonara.cook'), 'Fry.\n')
  await write(path.join(writer, 'cakes/tiramisu.cook'), 'Layer.\n')
  await ok(t, ['once'], writer)
  const phone = path.join(work, 'phone')
  const token = await familyToken(false)
  await ok(t, ['init', phone, '--server', server.url, '--namespace', 'family:recipes/italian/', '--token', token, '--device', 'phone'], work)
  t.is(JSON.parse(await readFile(path.join(phone, '.sync/config.json'), 'utf8')).server.prefix, 'recipes/italian')
  t.regex(await ok(t, ['config', 'get', 'namespace'], phone), /^family:recipes\/italian$/m)
  // Another writer of the namespace plants a config where the phone's own .sync would be.
  const config = await readFile(path.join(phone, '.sync/config.json'), 'utf8')
  const planted = path.join(work, 'planted')
  await write(planted, '{"version": 1, "device": "evil", "server": {"url": "http://evil.example", "namespace": "x", "token": "t"}}\n')
  const ids = text((await runSync(['hashify', planted], {cwd: writer})).stdout)
    .trim()
    .split('\n')
  await ok(t, ['upload', ...ids], writer)
  // The server refuses it (a '.sync' segment at any depth); the device's own check is in test/journal/path-prefix.test.ts.
  const commit = await runSync(['commit', 'recipes/italian/.sync/config.json', ...ids], {cwd: writer})
  t.not(commit.exitCode, 0)
  t.regex(text(commit.stderr), /a name in it is '\.sync'/)
  await ok(t, ['once'], phone)
  t.is(await readFile(path.join(phone, '.sync/config.json'), 'utf8'), config)
  t.is(await readFile(path.join(phone, 'carbonara.cook'), 'utf8'), 'Fry.\n')
  t.deepEqual((await readdir(phone)).sort(), ['.sync', 'carbonara.cook'])
})

test('unmount refuses while changes are unsent, then keeps the files as plain files the outer folder does not send', async (t) => {
  const {familyToken, writer, laptop} = await twoNamespaces(t)
  await write(path.join(writer, 'bread.cook'), 'Knead.\n')
  await ok(t, ['once'], writer)
  await ok(t, ['mount', 'family', 'family', '--token', await familyToken(true)], laptop)
  await ok(t, ['once'], laptop)
  await writeFile(path.join(laptop, 'family/bread.cook'), 'Knead longer.\n')
  await ok(t, ['once'], laptop)

  const refused = await runSync(['unmount', 'family', '--json'], {cwd: laptop})
  t.is(refused.exitCode, 11)
  t.like(JSON.parse(text(refused.stdout)).error, {code: 'E_UNSENT_CHANGES', data: {paths: ['bread.cook']}})
  t.is(JSON.parse(await ok(t, ['status', '--json'], laptop)).mounts.length, 1)

  const done = JSON.parse(await ok(t, ['unmount', 'family', '--keep-changes', '--json'], laptop))
  t.deepEqual(done, {root: laptop, path: 'family', keptChanges: ['bread.cook'], ignoreRule: '/family/'})
  t.is(await readFile(path.join(laptop, 'family/bread.cook'), 'utf8'), 'Knead longer.\n')
  t.deepEqual(await readdir(path.join(laptop, 'family')), ['bread.cook'])
  t.regex(await readFile(path.join(laptop, '.sync/ignore'), 'utf8'), /^\/family\/$/m)
  const once = JSON.parse(await ok(t, ['once', '--json'], laptop))
  t.is(once.mounts, undefined)
  t.false((await journal(laptop)).some((entry) => entry.path.startsWith('family/')))
  t.is(await readFile(path.join(laptop, 'family/bread.cook'), 'utf8'), 'Knead longer.\n')
})

test('bad input is refused with a clear error and changes nothing', async (t) => {
  const {familyToken, laptop, server} = await twoNamespaces(t)
  const token = await familyToken(false)
  // The state the refusals meet, set up through the library (mount and init as subprocesses are the other tests').
  await mountNamespace(laptop, {namespace: 'family', subdir: 'shared', token})
  await write(path.join(laptop, 'full/a.cook'), 'a\n')
  await initFolder(path.join(laptop, 'nested'), {device: 'n'})
  await symlink(path.join(laptop, 'elsewhere'), path.join(laptop, 'link'))
  const config = await readFile(path.join(laptop, '.sync/config.json'), 'utf8')
  const before = (await readdir(laptop, {recursive: true})).sort()
  const cases: [string[], number, RegExp][] = [
    [['mount', 'family:', 'x', '--token', token], 2, /sub-tree "" is not a valid path/],
    [['mount', 'family:a/../b', 'x', '--token', token], 2, /'\.\.' segment/],
    [['mount', 'family:.sync/x', 'x', '--token', token], 2, /\.sync/],
    [['mount', 'no such ns', 'x', '--token', token], 2, /invalid namespace/],
    [['mount', 'family', '.', '--token', token], 2, /the synced folder itself/],
    [['mount', 'family', '../out', '--token', token], 2, /outside the synced folder/],
    [['mount', 'family', '.sync/x', '--token', token], 2, /inside a \.sync folder/],
    [['mount', 'family', 'shared', '--token', token], 2, /overlaps the mount shared/],
    [['mount', 'family', 'shared/inner', '--token', token], 2, /overlaps the mount shared/],
    [['mount', 'family', 'full', '--token', token], 2, /full is not empty/],
    [['mount', 'family', 'nested/x', '--token', token], 2, /nested is a synced folder of its own/],
    [['mount', 'family', 'link/x', '--token', token], 2, /link is a symbolic link/],
    [['mount', 'family', 'x', '--token', 'not-a-token'], 9, /token/],
    [['mount', 'recipes-not-here', 'x', '--token', token], 9, /./],
    [['mount', 'family', 'x', '--token', token, '--server', 'ftp://x'], 2, /http/],
    [['unmount', 'full'], 2, /full is not a mount/],
  ]
  for (const [args, exit, message] of cases) {
    const run = await runSync(args, {cwd: laptop})
    t.is(run.exitCode, exit, `${args.join(' ')}: ${text(run.stderr)}`)
    t.regex(text(run.stderr), message, args.join(' '))
    t.regex(text(run.stderr), /^error: [^\n]*\n$/, args.join(' '))
  }
  t.is(await readFile(path.join(laptop, '.sync/config.json'), 'utf8'), config)
  t.deepEqual((await readdir(laptop, {recursive: true})).sort(), before)
  t.truthy(server.url)
})

test('the daemon of the outer folder syncs its mounts too', async (t) => {
  const {familyToken, writer, laptop} = await twoNamespaces(t)
  await ok(t, ['mount', 'family:recipes', 'family-recipes', '--token', await familyToken(false)], laptop)
  const daemon = await startCliDaemon(t, laptop)
  await daemon.said(/family-recipes: watching .* namespace family:recipes\)/)
  await write(path.join(writer, 'recipes/soup.cook'), 'Simmer.\n')
  await ok(t, ['once'], writer)
  await waitFor('the soup in the mount', () => fileIs(path.join(laptop, 'family-recipes/soup.cook'), 'Simmer.\n'))
  await writeFile(path.join(laptop, 'family-recipes/soup.cook'), 'Simmer long.\n')
  await daemon.said(/family-recipes: sent soup.cook/)
  await ok(t, ['once'], writer)
  t.is(await readFile(path.join(writer, 'recipes/soup.cook'), 'utf8'), 'Simmer long.\n')
  await daemon.stop()
})
