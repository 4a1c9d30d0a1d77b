/**
 * The command that updates this client: what an update notice tells a person to run. It depends on how this copy
 * was installed: a git clone (the README's way: clone, npm ci, npm link) pulls and rebuilds in place; a package
 * (npm i -g) installs the version the server named.
 */
import {existsSync} from 'node:fs'
import path from 'node:path'
import {PACKAGE_NAME, PACKAGE_ROOT} from '../util/package-version.js'

const clone = PACKAGE_ROOT !== undefined && existsSync(path.join(PACKAGE_ROOT, '.git')) ? PACKAGE_ROOT : undefined

export function updateCommand(version: string): string {
  if (clone) {
    const at = JSON.stringify(clone)
    return `git -C ${at} pull && npm --prefix ${at} ci && npm --prefix ${at} run build`
  }
  return `npm i -g ${PACKAGE_NAME}@${version}`
}
