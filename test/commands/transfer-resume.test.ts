/**
 * A `sync daemon` killed (SIGKILL) half-way through a big upload, started again: it sends what the server lacks,
 * not the file again. Progress is read from `--json`'s `transfer` records; bytes from the second run's own records.
 */
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {runSync, text} from '../helpers/cli.js'
import {cliNamespace} from '../helpers/cli-namespace.js'
import {startCliDaemon} from '../helpers/cli-daemon.js'
import {randomBytes} from '../helpers/random.js'
import {waitFor} from '../helpers/wait-for.js'

const MiB = 1024 * 1024

/** The `transfer` records a daemon printed so far. */
const transfers = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.includes('"type":"transfer"'))
    .map((line) => JSON.parse(line) as {direction: string; path: string; done: number; total: number})

test('a daemon killed half-way through a big upload resumes it: the second run sends what the server lacks, not the file', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a')
  const size = 12 * MiB
  const big = randomBytes(size, 5)
  await writeFile(path.join(a, 'big.bin'), big)
  const first = await startCliDaemon(t, a, {args: ['--json', '--limit-up', '2M']})
  await waitFor('half of it sent', () => (transfers(first.output.text).at(-1)?.done ?? 0) >= size / 2)
  process.kill(first.pid, 'SIGKILL')

  const again = await startCliDaemon(t, a, {args: ['--json']})
  await again.said('"type":"upload","path":"big.bin"')
  const last = transfers(again.output.text).at(-1)
  t.like(last, {direction: 'up', path: 'big.bin'}, 'the second run went through the big lane')
  const resent = last?.done ?? 0
  t.log(`sent again: ${resent} of ${size} bytes`)
  t.true(resent < size * 0.6, `sent ${resent} bytes again of ${size}`)
  await again.stop()

  const b = await device('b')
  const once = await runSync(['once'], {cwd: b})
  t.is(once.exitCode, 0, text(once.stderr))
  t.true((await readFile(path.join(b, 'big.bin'))).equals(big))
})
