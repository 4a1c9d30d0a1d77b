// Bundles the built fast path (dist/cli/fast-path.js: `sync once`, `hashify`, `check-chunk`, `read-chunk` without
// oclif) into dist/fast/: node 20 spends about 0.35 ms on each ES module it loads, and a no-change `sync once`
// loaded 85 of ours (30 ms of its 140). Our code only: packages stay imports. Each dynamic import stays a chunk
// of its own, loaded when reached, as before. The hashing thread's entry is bundled beside the chunks, where
// start-worker.ts looks for it; package-version.ts finds package.json two levels up, as from dist/src/util/.
import {build} from 'esbuild'
import {rm} from 'node:fs/promises'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const outdir = `${root}dist/fast`
await rm(outdir, {recursive: true, force: true})
await build({
  absWorkingDir: root,
  entryPoints: {'fast-path': 'dist/cli/fast-path.js', 'hash-worker': 'dist/src/files/hash-worker.js'},
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
})
