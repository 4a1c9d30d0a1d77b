/** This package's version, from package.json beside the sources (src/, server/) or the build (dist/src/, dist/server/). */
import {readFileSync} from 'node:fs'

function packageVersion(): string {
  for (const relative of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as {name?: string; version?: string}
      if (pkg.name === 'sync' && pkg.version) return pkg.version
    } catch {
      // not at this level
    }
  }
  return '0.0.0'
}

export const PACKAGE_VERSION = packageVersion()
