/**
 * The daemon when the OS will not watch: a real inotify limit, reached for real. inotify's limits are per user,
 * so the daemon runs as another user (nobody) whose inotify instances a helper process has taken up first; the
 * rest of the machine (and the other tests) is untouched. Needs root (to run as nobody) and Linux.
 */
import {execFileSync, spawn, type ChildProcess} from 'node:child_process'
import {chmod, chown, readdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test, {type ExecutionContext} from 'ava'
import {runSync, syncBin, text} from '../helpers/cli.js'
import {cliNamespace} from '../helpers/cli-namespace.js'
import {waitFor} from '../helpers/wait-for.js'

const NOBODY = 65534
const PYTHON = '/usr/bin/python3'

/** Why this machine cannot run the test, or undefined. */
function unsupported(): string | undefined {
  if (process.platform !== 'linux') return 'inotify is Linux'
  if (process.getuid?.() !== 0) return 'running as another user needs root'
  try {
    execFileSync(PYTHON, ['-c', 'import ctypes; ctypes.CDLL(None).inotify_init1'], {uid: NOBODY, gid: NOBODY})
    execFileSync('node', [syncBin, '--version'], {uid: NOBODY, gid: NOBODY, env: {...process.env, HOME: '/tmp'}})
  } catch (error) {
    return `user nobody cannot run python3 and the CLI here: ${(error as Error).message.split('\n')[0]}`
  }
  return undefined
}

/** Takes up every inotify instance user nobody may have, until the test ends. */
async function exhaustInotify(t: ExecutionContext): Promise<number> {
  const script =
    'import ctypes, sys\nlibc = ctypes.CDLL(None)\nfds = []\nwhile libc.inotify_init1(0) >= 0: fds.append(1)\nprint(len(fds), flush=True)\nsys.stdin.read()\n'
  const holder = spawn(PYTHON, ['-c', script], {uid: NOBODY, gid: NOBODY, stdio: ['pipe', 'pipe', 'inherit']})
  t.teardown(() => holder.kill())
  return new Promise((resolve, reject) => {
    holder.stdout.once('data', (data: Buffer) => resolve(Number(data.toString())))
    holder.once('error', reject)
  })
}

async function chownTree(dir: string): Promise<void> {
  await chown(dir, NOBODY, NOBODY)
  for (const entry of await readdir(dir, {withFileTypes: true})) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) await chownTree(full)
    else await chown(full, NOBODY, NOBODY)
  }
}

const reason = unsupported()

const title = 'a daemon the OS will not let watch says so with the sysctl, status shows it, and changes still sync by rescans'

;(reason ? test.skip : test)(reason ? `${title} (cannot run here: ${reason})` : title, async (t) => {
  const {work, device} = await cliNamespace(t)
  const a = await device('a')
  const b = await device('b')
  await chmod(work, 0o755)
  await chownTree(a)
  t.true((await exhaustInotify(t)) > 0)
  let stderr = ''
  const daemon: ChildProcess = spawn('node', [syncBin, 'daemon', '-C', a, '--unwatched-rescan', '1'], {
    uid: NOBODY,
    gid: NOBODY,
    env: {...process.env, HOME: a},
  })
  daemon.stderr!.on('data', (data: Buffer) => (stderr += data.toString()))
  t.teardown(() => daemon.kill('SIGKILL'))
  t.teardown(() => t.log(stderr))
  await waitFor('the daemon to say it cannot watch', () => stderr.includes('warning: not watching'), 30_000)
  t.regex(stderr, /inotify watchers is reached .*too many open files.*rescan every 1 s.*sudo sysctl fs\.inotify\.max_user_instances=1024/i)
  t.is(stderr.match(/warning: not watching/g)!.length, 1, 'said once')
  const status = text((await runSync(['status', '-C', a])).stdout)
  t.regex(status, /daemon: not watching every folder: .*fs\.inotify\.max_user_instances/)

  // A new recipe is found by a rescan and reaches the other device.
  await writeFile(path.join(a, 'Soup.cook'), 'Boil @water{1%l}.\n')
  await waitFor(
    'the recipe on b',
    async () =>
      (await runSync(['once', '-C', b])).exitCode === 0 && (await readFile(path.join(b, 'Soup.cook'), 'utf8').catch(() => '')) === 'Boil @water{1%l}.\n',
    30_000,
  )

  // Stopped, the daemon takes its note away.
  daemon.kill('SIGTERM')
  await new Promise((resolve) => daemon.once('exit', resolve))
  t.notRegex(text((await runSync(['status', '-C', a])).stdout), /not watching/)
})
