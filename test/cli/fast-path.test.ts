/**
 * The fast path's boundary: every command it takes (check-chunk, read-chunk, hashify, once, called plainly) gives
 * byte for byte the output and the exit code oclif's command gives, on success and on failure.
 */
import {cp, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {runSync, text} from '../helpers/cli.js'
import {cookbookFixture, tempDir} from '../helpers/temp.js'
import {startTestServer} from '../helpers/server.js'

const absent = 'f'.repeat(64)

test('the fast path and oclif agree on output and exit code for every command the fast path takes', async (t) => {
  const work = await tempDir(t)
  const dir = path.join(work, 'folder')
  // A server no one listens on: `once` fails the same way down both paths.
  t.is((await runSync(['init', dir, '--server', 'http://127.0.0.1:9', '--namespace', 'home', '--token', 'x'])).exitCode, 0)
  await writeFile(path.join(dir, 'Soup.cook'), 'Soup\nAdd @salt{1%tsp}.\n')
  const ids = text((await runSync(['hashify', 'Soup.cook'], {cwd: dir})).stdout)
    .trim()
    .split('\n')
  const cases: {args: string[]; input?: string}[] = [
    {args: ['check-chunk', ...ids]},
    {args: ['check-chunk', ids[0], absent]},
    {args: ['check-chunk'], input: `${ids.join('\n')}\n${absent}\n`},
    {args: ['check-chunk', 'xyz']},
    {args: ['read-chunk', ids[1]]},
    {args: ['read-chunk', absent]},
    {args: ['hashify', 'Soup.cook']},
    {args: ['hashify', 'Missing.cook']},
    {args: ['once']},
    {args: ['once', '-C', work]},
  ]
  for (const {args, input} of cases) {
    const fast = await runSync(args, {cwd: dir, input})
    const plain = await runSync(args, {cwd: dir, input, env: {SYNC_NO_FAST_PATH: '1'}})
    const said = (result: typeof fast) => ({exitCode: result.exitCode, stdout: text(result.stdout), stderr: text(result.stderr)})
    t.deepEqual(said(fast), said(plain), `sync ${args.join(' ')}`)
  }
})

test('the fast path and oclif agree on once against a real server: a pass, then in sync from the snapshot', async (t) => {
  const work = await tempDir(t)
  const server = await startTestServer(t)
  const token = await server.token('home')
  const dir = path.join(work, 'folder')
  await cp(cookbookFixture, dir, {recursive: true})
  t.is((await runSync(['init', dir, '--server', server.url, '--namespace', 'home', '--token', token])).exitCode, 0)
  const said = async (env: Record<string, string>) => {
    const result = await runSync(['once', '-C', dir], {env})
    return {exitCode: result.exitCode, stdout: text(result.stdout), stderr: text(result.stderr)}
  }
  const first = await said({})
  t.is(first.exitCode, 0, first.stderr)
  t.regex(first.stdout, /^sent /m)
  // In sync now: the fast path answers from the snapshot, oclif's command too; the same line and exit code.
  const fast = await said({})
  t.deepEqual(fast, {exitCode: 0, stdout: 'in sync at jid 31: 0 sent, 0 received, 0 deleted, 0 moved, 0 merged, 0 conflicts\n', stderr: ''})
  t.deepEqual(await said({SYNC_NO_FAST_PATH: '1'}), fast)
})
