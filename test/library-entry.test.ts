/**
 * The library (src/index.ts, what an app embedding sync imports) stands alone: nothing it imports, at any depth,
 * is CLI glue (cli/, commands/) or a CLI package (oclif, cli-progress). Read from the sources' imports.
 */
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import test from 'ava'

const IMPORT = /(?:from|import\()\s*'([^']+)'/g

function importGraph(entry: string): {files: Set<string>; packages: Set<string>} {
  const files = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string) => {
    if (files.has(file)) return
    files.add(file)
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (!spec.startsWith('.')) {
        packages.add(spec)
        continue
      }
      const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'))
      if (existsSync(target)) visit(target)
    }
  }
  visit(path.resolve(entry))
  return {files, packages}
}

test('the library entry imports no CLI code and no CLI package, at any depth', (t) => {
  const {files, packages} = importGraph('src/index.ts')
  t.true(files.size > 50, `the walk found the library's files (${files.size})`)
  const outside = [...files].map((file) => path.relative(process.cwd(), file)).filter((file) => !file.startsWith(`src${path.sep}`))
  t.deepEqual(outside, [])
  t.deepEqual(
    [...packages].filter((name) => /oclif|cli-progress/.test(name)),
    [],
  )
})
