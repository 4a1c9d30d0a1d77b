/** `sync init` with server settings checks them with the server first. */
import {access} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {runSync, text} from '../helpers/cli.js'
import {cliNamespace} from '../helpers/cli-namespace.js'
import {tempDir} from '../helpers/temp.js'

test('a token the server refuses: init exits 9, says so, and writes nothing', async (t) => {
  const {server, work} = await cliNamespace(t)
  const dir = path.join(work, 'device')
  const init = await runSync(['init', dir, '--server', server.url, '--namespace', 'recipes', '--token', 'not-a-token'])
  t.is(init.exitCode, 9)
  t.regex(text(init.stderr), /^error: server refused the token: /)
  await t.throwsAsync(access(path.join(dir, '.sync')), {code: 'ENOENT'})
})

test('the right token: init says nothing but that it is done; a server not reachable now is a warning, and the folder is made', async (t) => {
  const {server, work, token} = await cliNamespace(t)
  const good = await runSync(['init', path.join(work, 'good'), '--server', server.url, '--namespace', 'recipes', '--token', token])
  t.is(good.exitCode, 0)
  t.is(text(good.stderr), '')
  const offline = path.join(await tempDir(t), 'offline')
  const init = await runSync(['init', offline, '--server', 'http://127.0.0.1:9', '--namespace', 'recipes', '--token', token])
  t.is(init.exitCode, 0)
  t.regex(text(init.stderr), /the server at http:\/\/127\.0\.0\.1:9 cannot be reached now; the settings are kept/)
  await access(path.join(offline, '.sync', 'config.json'))
})

test('a server over plain HTTP beyond this machine is a warning (the token crosses the network readable); loopback and https are not', async (t) => {
  const {token} = await cliNamespace(t)
  const work = await tempDir(t)
  // 0.0.0.0 is no loopback name (and refuses at once here): the warning is the URL's, whatever the answer.
  const init = await runSync(['init', path.join(work, 'lan'), '--server', 'http://0.0.0.0:9', '--namespace', 'recipes', '--token', token])
  t.is(init.exitCode, 0)
  t.regex(
    text(init.stderr),
    /^warning: the server at http:\/\/0\.0\.0\.0:9 cannot be reached now;.*\nwarning: http:\/\/0\.0\.0\.0:9 is plain HTTP: the token, and every file unless the namespace is end-to-end encrypted, cross the network readable; use https:\/\//,
  )
  const set = await runSync(['config', 'set', 'server', 'http://0.0.0.0:10'], {cwd: path.join(work, 'lan')})
  t.is(set.exitCode, 0)
  t.regex(text(set.stderr), /warning: http:\/\/0\.0\.0\.0:10 is plain HTTP/)
})
