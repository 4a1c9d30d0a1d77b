/**
 * A namespace for CLI tests: a real sync-server in this process on a loopback port (helpers/server.ts), a token, and
 * devices (optionally seeded with the sample cookbook). The `sync` CLI under test runs as a subprocess; the server
 * runs here because a `sync-server` process cost about 0.6 s of CPU per test to start, and is tested as a process
 * in test/server/process.test.ts. A device's `.sync/` is made in this process by the library call `sync init`
 * makes after checking the token (the same folder state): a subprocess cost about a second of CPU per device.
 * `sync init` itself is tested as a subprocess in test/commands/init.test.ts.
 */
import {cp} from 'node:fs/promises'
import path from 'node:path'
import type {ExecutionContext} from 'ava'
import {initFolder} from '#src/folder/init-folder.js'
import {checkServerSettings} from '#src/folder/server-settings.js'
import {splitNamespace} from '#src/journal/path-prefix.js'
import {startTestServer} from './server.js'
import {cookbookFixture, tempDir} from './temp.js'

/** A device at `root`, as `sync init ROOT --server URL --namespace NS --token T --device NAME` leaves it. */
export async function initDevice(root: string, options: {url: string; namespace: string; token: string; device: string}): Promise<string> {
  const server = checkServerSettings({url: options.url, ...splitNamespace(options.namespace), token: options.token})
  await initFolder(root, {device: options.device, server})
  return root
}

export async function cliNamespace(t: ExecutionContext) {
  const work = await tempDir(t)
  const server = await startTestServer(t)
  /** Another token, of namespace `recipes` unless named, as `sync-server token` makes it. */
  const newToken = (options: {namespace?: string; readOnly?: boolean} = {}) => server.token(options.namespace, options.readOnly)
  const writer = await newToken()
  const device = async (name: string, options: {cookbook?: boolean; token?: string} = {}) => {
    const root = path.join(work, name)
    if (options.cookbook) await cp(cookbookFixture, root, {recursive: true})
    return initDevice(root, {url: server.url, namespace: 'recipes', token: options.token ?? writer, device: name})
  }
  /** The server's data folder, for `sync-server` verbs run beside it (an LMDB data folder takes several processes). */
  return {work, data: server.dataDir, token: writer, newToken, server, device}
}
