/**
 * The folder boundaries of the layout, as a rule over every source file's imports (relative, or through the
 * package's `#src/` and `#server/` aliases): the library (src/)
 * imports only itself; the server imports the library and itself; the CLI glue (cli/) the library; commands
 * the CLI glue and the library. Nothing ships that imports bench/, test/ or scripts/.
 */
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import test from 'ava'

const ALLOWED: Record<string, string[]> = {
  src: ['src'],
  server: ['server', 'src'],
  cli: ['cli', 'src'],
  commands: ['commands', 'cli', 'src'],
}

const IMPORT = /(?:from|import\()\s*'([.#][^']+)'/g

function sources(folder: string): string[] {
  return readdirSync(folder, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
}

test('every import stays within the folders its folder may use', (t) => {
  const crossings: string[] = []
  let files = 0
  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    for (const file of sources(folder)) {
      files++
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        // '#src/…' and '#server/…' are package.json's aliases of those folders.
        const target = spec.startsWith('#')
          ? spec.slice(1).split('/')[0]
          : path.relative(process.cwd(), path.resolve(path.dirname(file), spec)).split(path.sep)[0]
        if (!allowed.includes(target)) crossings.push(`${file} imports ${spec} (${folder}/ may use ${allowed.join(', ')})`)
      }
    }
  }
  t.true(files > 200, `read ${files} files`)
  t.deepEqual(crossings, [])
})
