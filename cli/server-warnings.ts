/** What `sync init` and `sync config set` say about a server they were given that works, but not as it should. */
import {inTheClear} from '#src/folder/server-settings.js'

export function warnAboutServer(url: string, access: 'ok' | 'unreachable' | undefined): void {
  if (access === 'unreachable')
    process.stderr.write(`warning: the server at ${url} cannot be reached now; the settings are kept and sync connects when it can\n`)
  if (inTheClear(url))
    process.stderr.write(
      `warning: ${url} is plain HTTP: the token, and every file unless the namespace is end-to-end encrypted, cross the network readable; use https:// (sync-server --tls-cert, or a reverse proxy) unless the network is trusted\n`,
    )
}
