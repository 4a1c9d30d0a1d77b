#!/usr/bin/env node
// `sync`: the plainest plumbing calls run without loading oclif (see src/cli/fast-path.ts); everything else goes through it.
import {runFastPath} from '../dist/src/cli/fast-path.js'

if (!(await runFastPath(process.argv.slice(2)))) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
