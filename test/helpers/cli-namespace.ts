/**
 * A namespace for CLI tests: a real `sync-server` subprocess on a temp data folder, a token, and devices made
 * with `sync init` (optionally seeded with the sample cookbook).
 */
import {cp} from 'node:fs/promises'
import path from 'node:path'
import type {ExecutionContext} from 'ava'
import {startServer} from '../server/support/server-process.js'
import {runSync, text} from './cli.js'
import {cookbookFixture, tempDir} from './temp.js'
import {dataFolderToken} from './data-folder-token.js'

export async function cliNamespace(t: ExecutionContext) {
  const work = await tempDir(t)
  const data = path.join(work, 'data')
  const token = (readOnly = false) => dataFolderToken(data, 'recipes', {readOnly})
  const writer = await token()
  const server = await startServer(t, data)
  const device = async (name: string, options: {cookbook?: boolean; token?: string} = {}) => {
    const root = path.join(work, name)
    if (options.cookbook) await cp(cookbookFixture, root, {recursive: true})
    const init = await runSync(['init', root, '--server', server.url, '--namespace', 'recipes', '--token', options.token ?? writer, '--device', name])
    t.is(init.exitCode, 0, text(init.stderr))
    return root
  }
  return {work, data, token: writer, newToken: token, server, device}
}
