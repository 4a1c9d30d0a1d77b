// Bundles the built CLI into dist/fast/ and the server into dist/fast-server/. Node 20 spends about 0.35 ms on
// each module it loads: a no-change `sync once` loaded 85 of ours (30 ms of its 140), @oclif/core's ~170 CommonJS
// files cost ~250 ms of every other command's cold start, and a serving start loaded ~700 files (Koa, zod,
// prom-client: 0.85 s of CPU against 0.6 s bundled).
// - The CLI: the fast path (dist/cli/fast-path.js: `sync once`, `hashify`, `check-chunk`, `read-chunk` without
//   oclif), oclif's runner with @oclif/core and its packages, and every command. One build, so the fast path, oclif
//   and the commands share their chunks (one copy of each module, one of each error class); each dynamic import
//   stays a chunk of its own, loaded when reached. Other packages stay imports (native addons, the S3 client). oclif
//   finds the commands in dist/fast/commands/ (package.json's oclif.commands), one small re-export per command.
// - `sync-server` (dist/server/main.js, each verb a chunk of its own), with its packages but for native addons and
//   the clients of one backend (SERVER_EXTERNAL). A build of its own: sharing the CLI's chunks split them finer,
//   and a no-change `sync once` loaded 10 more files (~13 ms).
// Every output sits one level below dist/, so import.meta.url is where it was: package-version.ts finds
// package.json two levels up, start-worker.ts the hashing thread's entry beside it. The library (dist/src,
// dist/server) is not bundled: programs importing it share their own copies of these packages.
import {build} from 'esbuild'
import {mkdir, readdir, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const outdir = `${root}dist/fast`
const serverOutdir = `${root}dist/fast-server`
const commandsDir = `${root}dist/commands`

/** CLI: bundled, @oclif/core and whatever a package imports; external, any other package our code imports. */
const oclifInside = {
  name: 'oclif-inside',
  setup(builder) {
    builder.onResolve({filter: /^[^./#]/}, ({path: specifier, importer}) => {
      if (specifier === 'typescript') return {external: true} // oclif's development mode only
      const bundled = importer.includes('/node_modules/') || specifier === '@oclif/core' || specifier.startsWith('@oclif/core/')
      return bundled ? undefined : {external: true}
    })
  },
}

/**
 * Server: left as imports, native addons (lmdb) and the PostgreSQL and S3 clients (loaded only by a server using
 * them; pg's optional native binding is not installed).
 */
const SERVER_EXTERNAL = new Set(['lmdb', 'pg', '@aws-sdk/client-s3'])
const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/')
const serverPackagesInside = {
  name: 'server-packages-inside',
  setup(builder) {
    builder.onResolve({filter: /^[^./#]/}, ({path: specifier}) => (SERVER_EXTERNAL.has(packageOf(specifier)) ? {external: true} : undefined))
  },
}

const shared = {
  absWorkingDir: root,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // oclif and Koa's packages are CommonJS: their require() of node's modules needs a require in an ES module.
  // (oclif's check of its own engines field, node >= 18 and below ours, finds no package.json beside the bundle
  // and is skipped.)
  banner: {js: "import {createRequire as createRequireForBundle} from 'node:module';const require = createRequireForBundle(import.meta.url);"},
  logLevel: 'warning',
}

const commands = (await readdir(commandsDir, {recursive: true})).filter((file) => file.endsWith('.js'))
const entryOf = (file) => `command-${file.slice(0, -3).replaceAll(path.sep, '-')}`

await Promise.all([rm(outdir, {recursive: true, force: true}), rm(serverOutdir, {recursive: true, force: true})])
await Promise.all([
  build({
    ...shared,
    entryPoints: {
      'fast-path': 'dist/cli/fast-path.js',
      'hash-worker': 'dist/src/files/hash-worker.js',
      oclif: 'dist/cli/oclif.js',
      ...Object.fromEntries(commands.map((file) => [entryOf(file), `dist/commands/${file}`])),
    },
    outdir,
    plugins: [oclifInside],
  }),
  build({...shared, entryPoints: {main: 'dist/server/main.js'}, outdir: serverOutdir, plugins: [serverPackagesInside]}),
])
for (const file of commands) {
  const stub = path.join(outdir, 'commands', file)
  await mkdir(path.dirname(stub), {recursive: true})
  const entry = path.relative(path.dirname(stub), path.join(outdir, `${entryOf(file)}.js`))
  await writeFile(stub, `export {default} from './${entry}'\n`.replace('./../', '../'))
}
