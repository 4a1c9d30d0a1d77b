/**
 * Who the daemon's page lets in, against a real daemon (a `sync daemon --ui` subprocess, a real server): the key
 * from the printed link (then a cookie, or a header), the page's own Host (DNS rebinding), the page's own Origin
 * for a change (CSRF). Every refusal is a 403 that changes nothing; a non-loopback address is refused at start.
 */
import {stat} from 'node:fs/promises'
import {request} from 'node:http'
import path from 'node:path'
import test from 'ava'
import {runSync, text} from '../helpers/cli.js'
import {cliNamespace} from '../helpers/cli-namespace.js'
import {startUiDaemon} from './support/ui-daemon.js'

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** One request with exactly these headers (Host included: fetch would not send a foreign one). */
function ask(port: number, method: string, target: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({host: '127.0.0.1', port, method, path: target, headers: {Host: `127.0.0.1:${port}`, ...headers}}, (res) => {
      let body = ''
      res.on('data', (part: Buffer) => (body += part.toString()))
      res.on('end', () => resolve({status: res.statusCode!, headers: res.headers, body}))
    })
    req.on('error', reject)
    req.end()
  })
}

const paused = async (dir: string) =>
  (JSON.parse(text((await runSync(['status', '--json'], {cwd: dir})).stdout)) as {pausedSince?: number}).pausedSince !== undefined

test('the key from the link becomes a cookie; without it, from another Host or another Origin: 403 and nothing changes', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a')
  const ui = await startUiDaemon(t, a)
  const {port, key} = ui
  const cookie = `sync-ui-${port}=${key}`

  t.is((await ask(port, 'GET', '/', {})).status, 403, 'no key')
  t.is((await ask(port, 'GET', '/api/state', {})).status, 403, 'no key')
  t.is((await ask(port, 'GET', `/?key=${key.slice(1)}x`, {})).status, 403, 'a wrong key')
  t.is((await ask(port, 'GET', '/api/state', {Cookie: `sync-ui-${port}=nope`})).status, 403, 'a wrong cookie')

  const opened = await ask(port, 'GET', `/?key=${key}`, {})
  t.is(opened.status, 303)
  t.is(opened.headers.location, '/', 'the key leaves the address bar')
  t.deepEqual(opened.headers['set-cookie'], [`${cookie}; Path=/; HttpOnly; SameSite=Strict`])
  const page = await ask(port, 'GET', '/', {Cookie: cookie})
  t.is(page.status, 200)
  t.regex(String(page.headers['content-security-policy']), /default-src 'none'; script-src 'sha256-/)
  t.like(JSON.parse((await ask(port, 'GET', '/api/state', {'X-Sync-Key': key})).body), {folder: a, device: 'a'})

  // DNS rebinding: an attacker's name resolving to 127.0.0.1 sends its own Host.
  t.is((await ask(port, 'GET', '/api/state', {Cookie: cookie, Host: `rebind.example:${port}`})).status, 403)
  // CSRF: another site's page posting with the browser's cookie.
  const csrf = await ask(port, 'POST', '/api/pause', {Cookie: cookie, Origin: 'http://evil.example'})
  t.is(csrf.status, 403)
  t.regex(csrf.body, /a change must come from this page/)
  t.is((await ask(port, 'POST', '/api/pause', {Cookie: cookie})).status, 403, 'a cookie with no Origin is not enough to change anything')
  t.is((await ask(port, 'POST', '/api/pause', {Cookie: cookie, Origin: 'null'})).status, 403)
  t.false(await paused(a), 'nothing refused changed the folder')

  // The page's own origin, or the key in a header (a script; no other site can set one): taken.
  t.is((await ask(port, 'POST', '/api/pause', {Cookie: cookie, Origin: `http://127.0.0.1:${port}`})).status, 200)
  t.true(await paused(a))
  t.is((await ask(port, 'POST', '/api/resume', {'X-Sync-Key': key})).status, 200)
  t.false(await paused(a))

  // `sync status` shows the link to the user who runs the daemon, and no one else may read it.
  t.regex(text((await runSync(['status'], {cwd: a})).stdout), new RegExp(`^web page: ${ui.link.replace(/[?]/g, '\\?')}$`, 'm'))
  t.is((await stat(path.join(a, '.sync', 'ui-link'))).mode & 0o077, 0)
  await ui.stop()
  t.regex(text((await runSync(['status'], {cwd: a})).stdout), /^daemon: not running$/m)
  t.is(await stat(path.join(a, '.sync', 'ui-link')).catch(() => undefined), undefined, 'the link goes with the daemon')
})

test('--ui refuses an address that is not loopback, and a malformed one: exit 2, nothing started', async (t) => {
  const {device} = await cliNamespace(t)
  const a = await device('a')
  for (const address of ['0.0.0.0:0', '192.168.1.5:8384', 'example.com:80']) {
    const run = await runSync(['daemon', '--ui', address], {cwd: a})
    t.is(run.exitCode, 2, address)
    t.regex(text(run.stderr), /^error: --ui listens on a loopback address only .*\n$/, address)
    t.is(text(run.stdout), '', 'it did not start')
  }
  const bad = await runSync(['daemon', '--ui', 'http://127.0.0.1:80', '--json'], {cwd: a})
  t.is(bad.exitCode, 2)
  t.like(JSON.parse(text(bad.stdout)), {error: {code: 'E_INVALID_INPUT'}})
})
