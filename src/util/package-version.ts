/** This package's name and version, from package.json beside the sources (src/, server/) or the build (dist/src/, dist/server/). */
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

/** The name it is installed by (`npm i -g sync`): package.json's, which packageVersion() checks. */
export const PACKAGE_NAME = 'sync'

function findPackage(): {version: string; root?: string} {
  for (const relative of ['../../', '../../../']) {
    try {
      const root = new URL(relative, import.meta.url)
      const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {name?: string; version?: string}
      if (pkg.name === PACKAGE_NAME && pkg.version) return {version: pkg.version, root: fileURLToPath(root).replace(/\/$/, '')}
    } catch {
      // not at this level
    }
  }
  return {version: '0.0.0'}
}

const found = findPackage()
export const PACKAGE_VERSION = found.version
/** The folder this copy of sync runs from (its package.json's), when found. */
export const PACKAGE_ROOT = found.root
