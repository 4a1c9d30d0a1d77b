/**
 * The `User-Agent` of every request: `sync/` and this package's version, so that the server can show which client
 * each device runs. Short on purpose (HTTP/1.1 sends it with every request; HTTP/2 once, then as an index).
 */
import {PACKAGE_VERSION} from '../util/package-version.js'

export const USER_AGENT = `sync/${PACKAGE_VERSION}`
