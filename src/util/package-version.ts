/** This package's name and version, from package.json beside the sources (src/, server/) or the build (dist/src/, dist/server/). */
import {readFileSync} from 'node:fs'

/** The name it is installed by (`npm i -g sync`): package.json's, which packageVersion() checks. */
export const PACKAGE_NAME = 'sync'

function packageVersion(): string {
  for (const relative of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as {name?: string; version?: string}
      if (pkg.name === PACKAGE_NAME && pkg.version) return pkg.version
    } catch {
      // not at this level
    }
  }
  return '0.0.0'
}

export const PACKAGE_VERSION = packageVersion()
