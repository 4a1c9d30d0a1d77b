/** A bare `sync` keeps its system meaning (the system's sync(1) further down PATH runs, not our help); `sync help` is ours. */
import {chmod, mkdir, readFile, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {syncBin, text} from '../helpers/cli.js'
import {tempDir} from '../helpers/temp.js'

async function installed(t: Parameters<typeof tempDir>[0]) {
  const work = await tempDir(t)
  const ours = path.join(work, 'ours')
  const system = path.join(work, 'system')
  // node alone on PATH: its own folder may hold the machine's sync (/usr/bin).
  const nodeOnly = path.join(work, 'node')
  await mkdir(ours)
  await mkdir(system)
  await mkdir(nodeOnly)
  await symlink(process.execPath, path.join(nodeOnly, 'node'))
  // As `npm link` installs it: a link to bin/run.js named sync, first on PATH.
  await symlink(syncBin, path.join(ours, 'sync'))
  const marker = path.join(work, 'flushed')
  await writeFile(path.join(system, 'sync'), `#!/bin/sh\necho "$#" > "${marker}"\n`)
  await chmod(path.join(system, 'sync'), 0o755)
  const run = (dirs: string[], args: string[] = []) =>
    execa(path.join(ours, 'sync'), args, {reject: false, env: {PATH: [...dirs, nodeOnly].join(path.delimiter)}, encoding: 'buffer'})
  return {ours, system, marker, run}
}

test('a bare sync runs the system sync further down PATH, with its exit code, and prints nothing of ours', async (t) => {
  const {ours, system, marker, run} = await installed(t)
  const bare = await run([ours, system])
  t.is(bare.exitCode, 0)
  t.is(text(bare.stdout), '')
  t.is(await readFile(marker, 'utf8'), '0\n', 'the system sync ran, with no arguments')
})

test('with arguments, or with no other sync on PATH, it is ours', async (t) => {
  const {ours, system, marker, run} = await installed(t)
  const help = await run([ours, system], ['--help'])
  t.is(help.exitCode, 0)
  t.regex(text(help.stdout), /USAGE/)
  const alone = await run([ours])
  t.regex(text(alone.stdout), /USAGE/)
  await t.throwsAsync(readFile(marker), {code: 'ENOENT'}, 'the system sync never ran')
})

test("sync help is sync --help; sync help COMMAND is that command's --help", async (t) => {
  const {ours, run} = await installed(t)
  t.is(text((await run([ours], ['help'])).stdout), text((await run([ours], ['--help'])).stdout))
  const once = await run([ours], ['help', 'once'])
  t.is(once.exitCode, 0)
  t.is(text(once.stdout), text((await run([ours], ['once', '--help'])).stdout))
  t.regex(text(once.stdout), /^Sync the folder with the server once/)
})
