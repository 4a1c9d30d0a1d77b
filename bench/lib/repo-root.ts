/** The repository root, found from this file whether it runs from bench/ (tsx) or dist/bench/ (built). */
import {existsSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

function find(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error('repository root not found')
    dir = parent
  }
  return dir
}

export const repoRoot = find()
