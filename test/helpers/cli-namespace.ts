/**
 * A namespace for CLI tests: a real `sync-server` subprocess on a temp data folder, a token, and devices
 * (optionally seeded with the sample cookbook). A device's `.sync/` is made in this process by the library call
 * `sync init` makes after checking the token (the same folder state): a subprocess cost about a second of CPU per
 * device. `sync init` itself is tested as a subprocess in test/commands/init.test.ts.
 */
import {cp} from 'node:fs/promises'
import path from 'node:path'
import type {ExecutionContext} from 'ava'
import {initFolder} from '#src/folder/init-folder.js'
import {checkServerSettings} from '#src/folder/server-settings.js'
import {splitNamespace} from '#src/journal/path-prefix.js'
import {startServer} from '../server/support/server-process.js'
import {cookbookFixture, tempDir} from './temp.js'
import {dataFolderToken} from './data-folder-token.js'

/** A device at `root`, as `sync init ROOT --server URL --namespace NS --token T --device NAME` leaves it. */
export async function initDevice(root: string, options: {url: string; namespace: string; token: string; device: string}): Promise<string> {
  const server = checkServerSettings({url: options.url, ...splitNamespace(options.namespace), token: options.token})
  await initFolder(root, {device: options.device, server})
  return root
}

export async function cliNamespace(t: ExecutionContext) {
  const work = await tempDir(t)
  const data = path.join(work, 'data')
  const token = (readOnly = false) => dataFolderToken(data, 'recipes', {readOnly})
  const writer = await token()
  const server = await startServer(t, data)
  const device = async (name: string, options: {cookbook?: boolean; token?: string} = {}) => {
    const root = path.join(work, name)
    if (options.cookbook) await cp(cookbookFixture, root, {recursive: true})
    return initDevice(root, {url: server.url, namespace: 'recipes', token: options.token ?? writer, device: name})
  }
  return {work, data, token: writer, newToken: token, server, device}
}
