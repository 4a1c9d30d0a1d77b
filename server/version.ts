/** The server's version: the package's. */
export {PACKAGE_VERSION as SERVER_VERSION} from '#src/util/package-version.js'
