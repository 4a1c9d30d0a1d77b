// Bundles the built CLI and server into dist/fast/: the fast path (dist/cli/fast-path.js: `sync once`, `hashify`,
// `check-chunk`, `read-chunk` without oclif), oclif's runner with @oclif/core and its packages, every command, and
// `sync-server`'s entry (dist/server/main.js, each verb a chunk of its own). Node 20 spends about 0.35 ms on each
// module it loads: a no-change `sync once` loaded 85 of ours (30 ms of its 140), @oclif/core's ~170 CommonJS files
// cost ~250 ms of every other command's cold start, and a serving start loaded ~700 files (Koa, zod, prom-client:
// 0.85 s of CPU against 0.6 s bundled). One build, so everything shares its chunks (one copy of each module, one of
// each error class); each dynamic import stays a chunk of its own, loaded when reached. Packages are bundled too,
// but for native addons and what is loaded only for one backend (EXTERNAL). Every output sits in dist/fast/ itself,
// so import.meta.url is one level below dist/ as before: package-version.ts finds package.json two levels up,
// start-worker.ts the hashing thread's entry beside it. oclif finds the commands in dist/fast/commands/
// (package.json's oclif.commands), one small re-export per command. The library (dist/src, dist/server) is not
// bundled: programs importing it share their own copies of these packages.
import {build} from 'esbuild'
import {mkdir, readdir, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const outdir = `${root}dist/fast`
const commandsDir = `${root}dist/commands`

/**
 * Left as imports: native addons (lmdb, @parcel/watcher), the PostgreSQL and S3 clients (loaded only by a server
 * using them; pg's optional native binding is not installed) and typescript (oclif's development mode only).
 */
const EXTERNAL = new Set(['lmdb', '@parcel/watcher', 'pg', '@aws-sdk/client-s3', 'typescript'])
const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/')

const packagesInside = {
  name: 'packages-inside',
  setup(builder) {
    builder.onResolve({filter: /^[^./#]/}, ({path: specifier}) => (EXTERNAL.has(packageOf(specifier)) ? {external: true} : undefined))
  },
}

const commands = (await readdir(commandsDir, {recursive: true})).filter((file) => file.endsWith('.js'))
const entryOf = (file) => `command-${file.slice(0, -3).replaceAll(path.sep, '-')}`

await rm(outdir, {recursive: true, force: true})
await build({
  absWorkingDir: root,
  entryPoints: {
    'fast-path': 'dist/cli/fast-path.js',
    'hash-worker': 'dist/src/files/hash-worker.js',
    oclif: 'dist/cli/oclif.js',
    'server-main': 'dist/server/main.js',
    ...Object.fromEntries(commands.map((file) => [entryOf(file), `dist/commands/${file}`])),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [packagesInside],
  // oclif is CommonJS: its require() of node's modules needs a require in an ES module. (oclif's check of its own
  // engines field, node >= 18 and below ours, finds no package.json beside the bundle and is skipped.)
  banner: {js: "import {createRequire as createRequireForBundle} from 'node:module';const require = createRequireForBundle(import.meta.url);"},
  logLevel: 'warning',
})
for (const file of commands) {
  const stub = path.join(outdir, 'commands', file)
  await mkdir(path.dirname(stub), {recursive: true})
  const entry = path.relative(path.dirname(stub), path.join(outdir, `${entryOf(file)}.js`))
  await writeFile(stub, `export {default} from './${entry}'\n`.replace('./../', '../'))
}
