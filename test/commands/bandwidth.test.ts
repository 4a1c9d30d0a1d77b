/**
 * The bandwidth limit as users set it: `--limit-up`/`--limit-down` on `sync once`, `limit-up`/`limit-down` with
 * `sync config set`. Checked by time against bytes moved: a limited transfer cannot take less than its bytes over
 * the rate (the bucket starts empty), and takes not much more.
 */
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {runSync, text} from '../helpers/cli.js'
import {cliNamespace} from '../helpers/cli-namespace.js'
import {randomBytes} from '../helpers/random.js'

const MiB = 1024 * 1024
const configOf = async (dir: string) => JSON.parse(await readFile(path.join(dir, '.sync', 'config.json'), 'utf8'))

async function timed(args: string[], cwd: string) {
  const started = performance.now()
  const run = await runSync(args, {cwd})
  return {run, seconds: (performance.now() - started) / 1000}
}

test('config set limit-up and limit-down take rates like 500k and 2M, off takes one away, a bad rate exits 2 and writes nothing', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a')
  const set = await runSync(['config', 'set', 'limit-up', '500k', 'limit-down', '2M'], {cwd: a})
  t.is(set.exitCode, 0, text(set.stderr))
  t.is(text(set.stdout), 'limit-up=512000\nlimit-down=2097152\n')
  t.deepEqual((await configOf(a)).bandwidth, {up: 512000, down: 2097152})
  const bad = await runSync(['config', 'set', 'limit-up', 'fast'], {cwd: a})
  t.is(bad.exitCode, 2)
  t.is(text(bad.stderr), 'error: a rate is bytes per second, at least 1k, like 500k or 2M (or off), not "fast"\n')
  t.deepEqual((await configOf(a)).bandwidth, {up: 512000, down: 2097152}, 'nothing written')
  t.is((await runSync(['config', 'set', 'limit-down', 'off'], {cwd: a})).exitCode, 0)
  t.deepEqual((await configOf(a)).bandwidth, {up: 512000})
  t.is(text((await runSync(['config', 'get', 'limit-down'], {cwd: a})).stdout), 'off\n')
})

test('once --limit-up sends no faster than the rate; the folder config limits what once receives; a bad rate changes nothing', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a')
  const b = await device('b')
  const size = 3 * MiB
  await writeFile(path.join(a, 'photo.bin'), randomBytes(size, 7))

  const refused = await runSync(['once', '--limit-up', '-1'], {cwd: a})
  t.is(refused.exitCode, 2, text(refused.stderr))
  t.is((await runSync(['once'], {cwd: b})).exitCode, 0)
  t.deepEqual(await readdirNames(b), [], 'nothing was sent')

  const up = await timed(['once', '--limit-up', '1M'], a)
  t.is(up.run.exitCode, 0, text(up.run.stderr))
  // 3 MiB at 1 MiB/s: at least 3 s less one pack's rounding. The upper bound only says it was not stuck: start-up on
  // a busy CI machine takes seconds (the bucket's own pace is bounded closely in test/journal/bandwidth.test.ts).
  t.true(up.seconds >= 2.7, `sent 3 MiB in ${up.seconds.toFixed(2)} s at 1 MiB/s`)
  t.true(up.seconds <= 3 + 30, `took ${up.seconds.toFixed(2)} s`)

  t.is((await runSync(['config', 'set', 'limit-down', '1M'], {cwd: b})).exitCode, 0)
  const down = await timed(['once'], b)
  t.is(down.run.exitCode, 0, text(down.run.stderr))
  t.true(down.seconds >= 2.7, `received 3 MiB in ${down.seconds.toFixed(2)} s at 1 MiB/s`)
  t.true(down.seconds <= 3 + 30, `took ${down.seconds.toFixed(2)} s`)
  t.true((await readFile(path.join(b, 'photo.bin'))).equals(randomBytes(size, 7)))
})

async function readdirNames(dir: string): Promise<string[]> {
  const {readdir} = await import('node:fs/promises')
  return (await readdir(dir)).filter((name) => name !== '.sync')
}
