/** The command that installs another version of this client: what an update notice tells a person to run. */
import {PACKAGE_NAME} from '../util/package-version.js'

export function updateCommand(version: string): string {
  return `npm i -g ${PACKAGE_NAME}@${version}`
}
