/**
 * The systemd units in contrib/systemd pass `systemd-analyze verify` (unknown keys, bad values, a missing
 * executable), with ExecStart pointed at this repository's own bins instead of the installed ones.
 */
import {execFile} from 'node:child_process'
import {readdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'
import test from 'ava'
import {repoRoot as repo, tempDir} from '../helpers/temp.js'

const run = promisify(execFile)
const units = path.join(repo, 'contrib', 'systemd')

test('the server and daemon units verify, as installed the way their comments say', async (t) => {
  const dir = await tempDir(t, 'units-')
  const names = (await readdir(units)).filter((name) => name.endsWith('.service'))
  t.deepEqual(names.sort(), ['sync-daemon@.service', 'sync-server.service'])
  const files: string[] = []
  for (const name of names) {
    const text = (await readFile(path.join(units, name), 'utf8'))
      .replaceAll('/usr/local/bin/sync-server', path.join(repo, 'bin', 'sync-server.js'))
      .replaceAll('/usr/local/bin/sync ', `${path.join(repo, 'bin', 'run.js')} `)
    t.notRegex(text, /\/usr\/local\/bin\//, `${name}: every ExecStart was pointed at the repository`)
    // A template is verified as one of its instances.
    const file = path.join(dir, name.replace('@.service', '@recipes.service'))
    await writeFile(file, text)
    files.push(file)
  }
  const {stdout, stderr} = await run('systemd-analyze', ['verify', '--man=no', ...files])
  t.is(`${stdout}${stderr}`.trim(), '', 'systemd-analyze found nothing to say')
})

test('the server environment file holds only comments and KEY=VALUE lines of the server settings', async (t) => {
  const lines = (await readFile(path.join(units, 'sync-server.env'), 'utf8')).split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'))
  t.true(lines.length > 0)
  for (const line of lines) t.regex(line, /^SYNC_SERVER_[A-Z_]+=\S+$/)
  const {stdout} = await run('node', [path.join(repo, 'bin', 'sync-server.js'), '--help'])
  for (const line of lines) {
    const flag = `--${line.slice('SYNC_SERVER_'.length, line.indexOf('=')).toLowerCase().replaceAll('_', '-')}`
    t.true(stdout.includes(flag), `${line}: sync-server --help documents ${flag}`)
  }
})
