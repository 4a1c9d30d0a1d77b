/**
 * Each named crash point (src/util/crash-point.ts), with real processes: the client or the server is killed with
 * SIGKILL exactly there, then runs again; nothing is lost, nothing is committed twice, the stores check clean.
 * (after-temp-before-rename is in test/commands/porcelain.test.ts.)
 */
import {cp, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test, {type ExecutionContext} from 'ava'
import {recipeText} from '../../bench/generate-recipes.js'
import {runSync, text} from '../helpers/cli.js'
import {cookbookFixture, tempDir} from '../helpers/temp.js'
import {runServer, startServer} from '../server/support/server-process.js'
import {dataFolderToken} from '../helpers/data-folder-token.js'
import {initDevice} from '../helpers/cli-namespace.js'

async function setup(t: ExecutionContext, serverEnv: Record<string, string> = {}) {
  const work = await tempDir(t)
  const data = path.join(work, 'data')
  const token = await dataFolderToken(data, 'recipes')
  let server = await startServer(t, data, serverEnv)
  const device = async (name: string) => {
    const root = path.join(work, name)
    await cp(cookbookFixture, root, {recursive: true})
    return initDevice(root, {url: server.url, namespace: 'recipes', token, device: name})
  }
  const a = await device('a')
  const b = await device('b')
  // A server restarted on the same data folder listens on a new port: clients follow it through SYNC_SERVER.
  const env = () => ({SYNC_SERVER: server.url})
  const once = (root: string, extra: Record<string, string> = {}) => runSync(['once'], {cwd: root, env: {...env(), ...extra}})
  /** Stops the server (SIGKILL, unless it already died at its crash point) and starts it again on the same data. */
  const restart = async (withEnv: Record<string, string> = {}) => {
    server.child.kill('SIGKILL')
    await server.child
    server = await startServer(t, data, withEnv)
  }
  /** How many versions the server has of a path (a path it never had: `log` exits 1, E_NOT_FOUND). */
  const versions = async (relative: string) => {
    const answer = JSON.parse(text((await runSync(['log', relative, '--json'], {cwd: a, env: env()})).stdout))
    return answer.error?.code === 'E_NOT_FOUND' ? 0 : answer.versions.length
  }
  await once(a)
  await once(b)
  return {a, b, data, once, restart, versions}
}

/** A text file too large to travel inline: its chunks go in a pack upload. */
const largeText = recipeText(700 * 1024, 11)

test('client killed after uploading a pack, before committing: the next run commits once', async (t) => {
  const {a, b, once, versions} = await setup(t)
  await writeFile(path.join(a, 'Big Book.md'), largeText)
  const crashed = await once(a, {SYNC_CRASH_AT: 'after-upload-before-commit'})
  t.is(crashed.signal, 'SIGKILL')
  t.is(await versions('Big Book.md'), 0, 'not committed')
  t.is((await once(a)).exitCode, 0)
  t.is(await versions('Big Book.md'), 1)
  t.is((await once(b)).exitCode, 0)
  t.is(await readFile(path.join(b, 'Big Book.md'), 'utf8'), largeText)
})

test('client killed after the server acknowledged a commit, before recording it: no second commit, no loss', async (t) => {
  const {a, b, once, versions} = await setup(t)
  await writeFile(path.join(a, 'Risotto.cook'), 'committed, then killed\n')
  const crashed = await once(a, {SYNC_CRASH_AT: 'after-commit-before-base'})
  t.is(crashed.signal, 'SIGKILL')
  t.is(await versions('Risotto.cook'), 2, 'the commit is on the server')
  t.is((await once(a)).exitCode, 0)
  t.is(await versions('Risotto.cook'), 2, 'and it was not made again')
  await once(b)
  t.is(await readFile(path.join(b, 'Risotto.cook'), 'utf8'), 'committed, then killed\n')
})

test('client killed half-way through writing a pack block: the store checks clean and the next run completes', async (t) => {
  const {a, b, once} = await setup(t)
  await writeFile(path.join(a, 'Big Book.md'), largeText)
  const crashed = await once(a, {SYNC_CRASH_AT: 'mid-pack'})
  t.is(crashed.signal, 'SIGKILL')
  t.is((await runSync(['fsck'], {cwd: a})).exitCode, 0)
  t.is((await once(a)).exitCode, 0)
  await once(b)
  t.is(await readFile(path.join(b, 'Big Book.md'), 'utf8'), largeText)
  t.is((await runSync(['fsck'], {cwd: b})).exitCode, 0)
})

test('server killed after a commit is durable, before answering: the retry finds it, nothing is duplicated', async (t) => {
  const {a, b, data, once, restart, versions} = await setup(t)
  await restart({SYNC_CRASH_AT: 'after-commit-before-response'})
  await writeFile(path.join(a, 'Risotto.cook'), 'durable before the crash\n')
  const failed = await once(a)
  t.is(failed.exitCode, 8, 'the server died: a network error')
  await restart()
  t.is((await once(a)).exitCode, 0)
  t.is(await versions('Risotto.cook'), 2, 'one new version, not two')
  await once(b)
  t.is(await readFile(path.join(b, 'Risotto.cook'), 'utf8'), 'durable before the crash\n')
  // The commit's line was staged in the journal's transaction when the server died: now in the store.
  t.is((await runServer(['fsck', '--data', data])).exitCode, 0)
})

test('server killed half-way through storing an uploaded pack: it restarts clean and the upload is redone', async (t) => {
  const {a, b, data, once, restart} = await setup(t)
  await restart({SYNC_CRASH_AT: 'mid-pack'})
  await writeFile(path.join(a, 'Big Book.md'), largeText)
  t.is((await once(a)).exitCode, 8)
  await restart()
  t.is((await once(a)).exitCode, 0)
  t.is((await runServer(['fsck', '--data', data])).exitCode, 0)
  await once(b)
  t.is(await readFile(path.join(b, 'Big Book.md'), 'utf8'), largeText)
})
