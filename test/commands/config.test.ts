/**
 * `sync config get|set` as users run them, against real servers: the token never shown whole, new access tried
 * first, a folder that synced never pointed at another journal unless its state is rebuilt (--reset).
 */
import {readdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {runSync, syncBin, text} from '../helpers/cli.js'
import {cliNamespace} from '../helpers/cli-namespace.js'
import {startCliDaemon} from '../helpers/cli-daemon.js'
import {cookbookFixture} from '../helpers/temp.js'
import {startTestServer} from '../helpers/server.js'

const configOf = (dir: string) => readFile(path.join(dir, '.sync', 'config.json'), 'utf8')

test('config get shows every setting, the token masked; one KEY prints its value alone; an unknown key exits 2', async (t) => {
  const {device, server, token} = await cliNamespace(t)
  const a = await device('a')
  const all = await runSync(['config', 'get'], {cwd: a})
  t.is(all.exitCode, 0)
  t.is(
    text(all.stdout),
    `server=${server.url}\nnamespace=recipes\ntoken=${token.slice(0, 4)}…\ndevice=a\ndelete-guard.files=50\ndelete-guard.fraction=0.25\ndelete-guard.minutes=60\nlimit-up=off\nlimit-down=off\nkeep-days=30\n`,
  )
  t.false(text(all.stdout).includes(token.slice(4)), 'the token is never printed whole')
  t.deepEqual(JSON.parse(text((await runSync(['config', 'get', '--json'], {cwd: a})).stdout)), {
    server: server.url,
    namespace: 'recipes',
    token: `${token.slice(0, 4)}…`,
    device: 'a',
    'delete-guard.files': 50,
    'delete-guard.fraction': 0.25,
    'delete-guard.minutes': 60,
    'limit-up': 'off',
    'limit-down': 'off',
    'keep-days': 30,
  })
  t.is(text((await runSync(['config', 'get', 'server'], {cwd: a})).stdout), `${server.url}\n`)
  const unknown = await runSync(['config', 'get', 'colour'], {cwd: a})
  t.is(unknown.exitCode, 2)
  t.is(
    text(unknown.stderr),
    'error: no setting "colour": the settings are server, namespace, token, device, delete-guard.files, delete-guard.fraction, delete-guard.minutes, limit-up, limit-down, keep-days\n',
  )
})

test('config set token: a token the server refuses exits 9 and writes nothing; a good one is written; device and the delete guard too', async (t) => {
  const {device, newToken} = await cliNamespace(t)
  const a = await device('a', {cookbook: true})
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  const before = await configOf(a)
  const refused = await runSync(['config', 'set', 'token', 'not-a-token'], {cwd: a})
  t.is(refused.exitCode, 9)
  t.regex(text(refused.stderr), /^error: server refused the token: /)
  t.is(await configOf(a), before, 'nothing written')
  const other = await newToken({namespace: 'notes'})
  const wrongNamespace = await runSync(['config', 'set', 'token', other], {cwd: a})
  t.is(wrongNamespace.exitCode, 9, text(wrongNamespace.stderr))
  t.is(await configOf(a), before, 'nothing written')

  const fresh = await newToken()
  const set = await runSync(['config', 'set', 'token', fresh, 'device', 'kitchen', 'delete-guard.files', '200'], {cwd: a})
  t.is(set.exitCode, 0, text(set.stderr))
  t.is(text(set.stdout), `token=${fresh.slice(0, 4)}…\ndevice=kitchen\ndelete-guard.files=200\n`)
  t.like(JSON.parse(await configOf(a)), {device: 'kitchen', server: {token: fresh}, deleteGuard: {files: 200}})
  await writeFile(path.join(a, 'Soup.cook'), 'Soup\n')
  const once = await runSync(['once'], {cwd: a})
  t.is(once.exitCode, 0, text(once.stderr))
  t.regex(text(once.stdout), /in sync at jid 32: 1 sent/, 'the state and cursor are kept: one file sent, nothing again')
  t.like(JSON.parse(text((await runSync(['log', 'Soup.cook', '--json'], {cwd: a})).stdout)), {versions: [{device: 'kitchen'}]}, 'sent as the new device name')
  const bad = await runSync(['config', 'set', 'delete-guard.fraction', '2'], {cwd: a})
  t.is(bad.exitCode, 2)
  t.is(text(bad.stderr), 'error: delete-guard.fraction takes a number from 0 to 1, not "2"\n')
  const noWindow = await runSync(['config', 'set', 'delete-guard.minutes', '0'], {cwd: a})
  t.is(noWindow.exitCode, 2)
  t.is(text(noWindow.stderr), 'error: delete-guard.minutes takes a whole number >= 1, not "0"\n')
  t.is(text((await runSync(['config', 'set', 'delete-guard.minutes', '1440'], {cwd: a})).stdout), 'delete-guard.minutes=1440\n')
  t.like(JSON.parse(await configOf(a)), {deleteGuard: {files: 200, minutes: 1440}})
})

test('a reset cut short between its two renames (no .sync/ left) is finished by the next command: the new state, nothing lost', async (t) => {
  const {device, newToken} = await cliNamespace(t)
  const a = await device('a', {cookbook: true})
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  const notes = await newToken({namespace: 'notes'})
  const killed = await runSync(['config', 'set', 'namespace', 'notes', 'token', notes, '--reset'], {cwd: a, env: {SYNC_CRASH_AT: 'reset-between-renames'}})
  t.is(killed.signal, 'SIGKILL')
  t.false((await readdir(a)).includes('.sync'), 'the crash left the folder without .sync/')
  const got = await runSync(['config', 'get', 'namespace'], {cwd: a})
  t.is(got.exitCode, 0, text(got.stderr))
  t.is(text(got.stdout), 'notes\n')
  t.deepEqual(
    (await readdir(a)).filter((name) => name.startsWith('.')),
    ['.sync'],
    'the old state and the marker are gone',
  )
  t.false((await readdir(path.join(a, '.sync'))).includes('reset-staged'))
  const once = await runSync(['once', '--json'], {cwd: a})
  t.is(once.exitCode, 0, text(once.stderr))
  t.like(JSON.parse(text(once.stdout)), {inSync: true, uploaded: 31, deleted: 0})
})

for (const [crashAt, namespace] of [
  ['reset-mid-build', 'recipes'],
  ['reset-before-removing-old', 'notes'],
] as const)
  test(`what a reset cut short at ${crashAt} left beside .sync/ is removed by the next pass; the ${namespace} state stays`, async (t) => {
    const {device, newToken} = await cliNamespace(t)
    const a = await device('a', {cookbook: true})
    t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
    const notes = await newToken({namespace: 'notes'})
    const killed = await runSync(['config', 'set', 'namespace', 'notes', 'token', notes, '--reset'], {cwd: a, env: {SYNC_CRASH_AT: crashAt}})
    t.is(killed.signal, 'SIGKILL')
    const leftovers = async () => (await readdir(a)).filter((name) => name.startsWith('..sync.sync-'))
    t.is((await leftovers()).length, 1, 'the crash left a state beside .sync/')
    t.is(text((await runSync(['config', 'get', 'namespace'], {cwd: a})).stdout), `${namespace}\n`)
    t.is((await leftovers()).length, 1, 'a command that does not sync leaves it')
    const once = await runSync(['once', '--json'], {cwd: a})
    t.is(once.exitCode, 0, text(once.stderr))
    t.deepEqual(await leftovers(), [])
    t.like(JSON.parse(text(once.stdout)), {inSync: true, deleted: 0})
  })

test('config set namespace on a synced folder is refused unless --reset, which rebuilds the state, keeps the files, and syncs them to the new namespace', async (t) => {
  const {device, newToken, server} = await cliNamespace(t)
  const a = await device('a', {cookbook: true})
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  await writeFile(path.join(a, 'Unsent.cook'), 'not sent yet\n')
  const notes = await newToken({namespace: 'notes'})
  const before = await configOf(a)
  const refused = await runSync(['config', 'set', 'namespace', 'notes', 'token', notes], {cwd: a})
  t.is(refused.exitCode, 2)
  t.is(
    text(refused.stderr),
    "error: namespace notes is another journal than recipes, which this folder synced with: add --reset to rebuild this folder's sync state (the files stay)\n",
  )
  t.is(await configOf(a), before)
  await writeFile(path.join(a, '.sync', 'ignore'), 'private/\n')

  const reset = await runSync(['config', 'set', 'namespace', 'notes', 'token', notes, '--reset', '--json'], {cwd: a})
  t.is(reset.exitCode, 0, text(reset.stderr))
  t.like(JSON.parse(text(reset.stdout)), {changed: ['namespace', 'token'], reset: true, access: 'ok', values: {namespace: 'notes'}})
  t.is(await readFile(path.join(a, '.sync', 'ignore'), 'utf8'), 'private/\n', "this device's ignore rules are kept")
  t.is(await readFile(path.join(a, 'Unsent.cook'), 'utf8'), 'not sent yet\n')
  const once = await runSync(['once', '--json'], {cwd: a})
  t.is(once.exitCode, 0, text(once.stderr))
  t.like(JSON.parse(text(once.stdout)), {inSync: true, uploaded: 32, downloaded: 0, deleted: 0, conflicts: []})
  // A second device of the new namespace gets every file; the old namespace has what it had.
  const b = path.join(path.dirname(a), 'b')
  t.is((await runSync(['init', b, '--server', server.url, '--namespace', 'notes', '--token', notes])).exitCode, 0)
  t.is((await runSync(['once'], {cwd: b})).exitCode, 0)
  t.is(await readFile(path.join(b, 'Unsent.cook'), 'utf8'), 'not sent yet\n')
  t.is(await readFile(path.join(b, 'Risotto.cook'), 'utf8'), await readFile(path.join(cookbookFixture, 'Risotto.cook'), 'utf8'))
  const old = await device('old')
  t.is((await runSync(['once'], {cwd: old})).exitCode, 0)
  t.false((await readdir(old)).includes('Unsent.cook'))
})

test('config set server: the same journal at another URL is taken, another server is refused, an unreachable one too (exit 8) once synced', async (t) => {
  const {device, server} = await cliNamespace(t)
  const a = await device('a', {cookbook: true})
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  const moved = server.url.replace('127.0.0.1', 'localhost')
  const same = await runSync(['config', 'set', 'server', moved], {cwd: a})
  t.is(same.exitCode, 0, text(same.stderr))
  t.is(text(same.stdout), `server=${moved}\n`)
  t.regex(text((await runSync(['once'], {cwd: a})).stdout), /in sync at jid 31/)

  // Another server, with a namespace of the same name and a token for it: another journal.
  const other = await startTestServer(t)
  const otherToken = await other.token()
  const before = await configOf(a)
  const refused = await runSync(['config', 'set', 'server', other.url, 'token', otherToken], {cwd: a})
  t.is(refused.exitCode, 2, text(refused.stderr))
  t.regex(
    text(refused.stderr),
    new RegExp(
      `^error: ${other.url.replaceAll('.', '\\.')} is not the server this folder synced with \\(its journal ends at jid 0, before this folder's cursor \\(jid 31\\)\\): add --reset`,
    ),
  )
  t.is(await configOf(a), before)
  const unreachable = await runSync(['config', 'set', 'server', 'http://127.0.0.1:9'], {cwd: a})
  t.is(unreachable.exitCode, 8)
  t.regex(text(unreachable.stderr), /^error: http:\/\/127\.0\.0\.1:9 cannot be reached now, to check it has the journal this folder synced with/)
  t.is(await configOf(a), before)
  // A folder that never synced may point anywhere; an unreachable server is then a warning.
  const fresh = await device('fresh')
  const offline = await runSync(['config', 'set', 'server', 'http://127.0.0.1:9'], {cwd: fresh})
  t.is(offline.exitCode, 0)
  t.regex(text(offline.stderr), /^warning: the server at http:\/\/127\.0\.0\.1:9 cannot be reached now/)
})

test('config set is refused while a daemon syncs the folder (exit 12), and nothing is written', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a')
  const daemon = await startCliDaemon(t, a)
  const before = await configOf(a)
  const busy = await runSync(['config', 'set', 'device', 'kitchen'], {cwd: a})
  t.is(busy.exitCode, 12)
  t.regex(text(busy.stderr), new RegExp(`^error: another sync process \\(pid ${daemon.pid}\\)`))
  t.is(await configOf(a), before)
  t.is(text((await runSync(['config', 'get', 'device'], {cwd: a})).stdout), 'a\n', 'get works while it runs')
})

test('the config help examples run as shown', async (t) => {
  const {device, server, newToken} = await cliNamespace(t)
  const a = await device('a', {cookbook: true})
  t.is((await runSync(['once'], {cwd: a})).exitCode, 0)
  await writeFile(path.join(a, 'token'), await newToken())
  await writeFile(path.join(a, 'notes-token'), await newToken({namespace: 'notes'}))
  // sync.example.org is this test's server, under another name for the same address.
  const address = server.url.replace('127.0.0.1', 'localhost')
  for (const command of ['get', 'set']) {
    const help = text((await runSync(['config', command, '--help'])).stdout)
    const examples = [...help.matchAll(/^ {4}\$ sync (.*)$/gm)].map((m) => m[1].replace('https://sync.example.org', address))
    t.true(examples.length >= 3, command)
    for (const example of examples) {
      const run = await execa('bash', ['-c', `sync() { node '${syncBin}' "$@"; }; sync ${example}`], {cwd: a, reject: false})
      t.is(run.exitCode, 0, `sync ${example}: ${String(run.stderr)}`)
    }
  }
  t.like(JSON.parse(await configOf(a)), {device: 'kitchen', server: {namespace: 'notes', url: address}, deleteGuard: {files: 200, minutes: 1440}})
})
