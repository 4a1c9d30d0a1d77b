#!/usr/bin/env node
// `sync`: the plainest plumbing calls run without loading oclif (cli/fast-path.ts, bundled into dist/fast/ by
// scripts/bundle-fast-path.js); everything else goes through it. A bare `sync` runs the system's sync(1) when there is one (cli/system-sync.ts).
import {fileURLToPath} from 'node:url'
import {runFastPath} from '../dist/fast/fast-path.js'

// `sync help [COMMAND]` is `sync [COMMAND] --help`.
const given = process.argv.slice(2)
const args = given[0] === 'help' ? [...given.slice(1), '--help'] : given
if (args.length === 0) {
  const {runSystemSync} = await import('../dist/cli/system-sync.js')
  const code = runSystemSync(fileURLToPath(import.meta.url))
  if (code !== undefined) process.exit(code)
}
if (!(await runFastPath(args))) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url, args})
}
