// Bundles the built CLI into dist/fast/: the fast path (dist/cli/fast-path.js: `sync once`, `hashify`,
// `check-chunk`, `read-chunk` without oclif), oclif's runner with @oclif/core and its packages, and every command.
// Node 20 spends about 0.35 ms on each module it loads: a no-change `sync once` loaded 85 of ours (30 ms of its
// 140), and @oclif/core's ~170 CommonJS files cost ~250 ms of every other command's cold start. One build, so the
// fast path, oclif and the commands share their chunks (one copy of each module, one of each error class); each
// dynamic import stays a chunk of its own, loaded when reached. Other packages stay imports (native addons, the
// S3 client). Every output sits in dist/fast/ itself, so import.meta.url is one level below dist/ as before:
// package-version.ts finds package.json two levels up, start-worker.ts the hashing thread's entry beside it. oclif
// finds the commands in dist/fast/commands/ (package.json's oclif.commands), one small re-export per command.
import {build} from 'esbuild'
import {mkdir, readdir, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const outdir = `${root}dist/fast`
const commandsDir = `${root}dist/commands`

/** Bundled: @oclif/core and whatever a package imports; external: any other package our code imports. */
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

const commands = (await readdir(commandsDir, {recursive: true})).filter((file) => file.endsWith('.js'))
const entryOf = (file) => `command-${file.slice(0, -3).replaceAll(path.sep, '-')}`

await rm(outdir, {recursive: true, force: true})
await build({
  absWorkingDir: root,
  entryPoints: {
    'fast-path': 'dist/cli/fast-path.js',
    'hash-worker': 'dist/src/files/hash-worker.js',
    oclif: 'dist/cli/oclif.js',
    ...Object.fromEntries(commands.map((file) => [entryOf(file), `dist/commands/${file}`])),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [oclifInside],
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
