#!/bin/sh
':' //; export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"; [ "$1" = daemon ] && exec node --max-semi-space-size=2 "$0" "$@"; exec node "$0" "$@"
// Run as a program (PATH, npm link, systemd), sh reads the line above and becomes node on this file (one exec,
// the same process id), with glibc's malloc told to hand freed memory back: two arenas instead of one per thread,
// and blocks of 128 KiB or more mapped on their own instead of kept in a heap that only grows. glibc reads these
// once, at start, so node cannot set them for itself; they cut a big transfer's peak RSS by 25-50 MB
// (docs/benchmarks.md). Variables already set are kept. The daemon's young generation is capped at start too:
// keepYoungGenerationSmall (src/util/young-generation.ts) no longer stops it growing to 32 MB during a big
// transfer (measured: 1, 2, 4 ... 32 MB of new space with the growth factor at 1). Node reads that line as a
// string and a comment.
// `sync`: the plainest plumbing calls run without loading oclif (cli/fast-path.ts); everything else goes through
// it. Both are bundled into dist/fast/ with the commands (scripts/bundle.js). A bare `sync` runs the system's sync(1) when there is one (cli/system-sync.ts).
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
  const {execute} = await import('../dist/fast/oclif.js')
  await execute({dir: import.meta.url, args})
}
