/** A `sync daemon --ui 127.0.0.1:0 --json` subprocess on a folder, and its page's address and key as it printed them. */
import type {ExecutionContext} from 'ava'
import {startCliDaemon} from '../../helpers/cli-daemon.js'

export async function startUiDaemon(t: ExecutionContext, root: string) {
  const daemon = await startCliDaemon(t, root, {args: ['--ui', '127.0.0.1:0', '--json']})
  await daemon.said('"type":"ui"')
  const said = daemon.output.text.split('\n').find((line) => line.includes('"type":"ui"'))!
  const {url, link} = JSON.parse(said) as {url: string; link: string}
  return {...daemon, url, link, key: new URL(link).searchParams.get('key')!, port: Number(new URL(url).port)}
}
