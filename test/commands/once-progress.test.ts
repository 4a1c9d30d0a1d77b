/**
 * `sync once`'s progress bar: drawn on a terminal (a real pseudo-terminal from script(1)) for a pass that moves
 * megabytes, both ways, with bytes, files and rate; never in pipes, nor with --json.
 */
import {randomBytes} from 'node:crypto'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {runSync, syncBin, text} from '../helpers/cli.js'
import {cliNamespace} from '../helpers/cli-namespace.js'

/** Runs `sync ARGS` with its stdout and stderr on a pseudo-terminal; returns what the terminal showed. */
async function onTerminal(cwd: string, args: string[]): Promise<{exitCode?: number; shown: string}> {
  const command = ['node', syncBin, ...args].map((word) => `'${word}'`).join(' ')
  const result = await execa('script', ['-qec', command, '/dev/null'], {cwd, reject: false, input: ''})
  return {exitCode: result.exitCode, shown: result.stdout}
}

const BAR = (verb: string, files: string) => new RegExp(`${verb} \\[[\u2591\u2588]+\\] \\d+% \\| [\\d.]+ MB/6\\.0 MB \\| ${files} files`)

test('once draws a progress bar of bytes, files and rate on a terminal, sending and receiving', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a')
  const b = await device('b')
  await writeFile(path.join(a, 'photo.jpg'), randomBytes(6_000_000))
  const sent = await onTerminal(a, ['once'])
  t.is(sent.exitCode, 0, sent.shown)
  t.regex(sent.shown, BAR('sending', '0/1'))
  t.regex(sent.shown, /sent photo\.jpg/)
  const received = await onTerminal(b, ['once'])
  t.is(received.exitCode, 0, received.shown)
  t.regex(received.shown, BAR('receiving', '[01]/1'))
  t.regex(received.shown, /\| [\d.]+ MB\/s/, 'with its rate')
})

test('once prints no bar into pipes, nor with --json on a terminal', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a')
  const b = await device('b')
  await writeFile(path.join(a, 'photo.jpg'), randomBytes(6_000_000))
  const piped = await runSync(['once'], {cwd: a})
  t.is(piped.exitCode, 0)
  t.is(text(piped.stderr), '', 'stderr stays empty')
  t.is(text(piped.stdout), 'sent photo.jpg (jid 1)\nin sync at jid 1: 1 sent, 0 received, 0 deleted, 0 moved, 0 merged, 0 conflicts\n')
  const json = await onTerminal(b, ['once', '--json'])
  t.is(json.exitCode, 0)
  t.like(JSON.parse(json.shown), {inSync: true, downloaded: 1})
})
