/**
 * Operations: HTTPS with --tls-cert/--tls-key (HTTP/2 and HTTP/1.1 by ALPN; the sync CLI trusting a self-signed
 * certificate through NODE_EXTRA_CA_CERTS), and `sync-server backup` of a data folder being served and written to,
 * restored by serving the copy. Real sync-server processes and real LMDB in temp folders.
 */
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import http2 from 'node:http2'
import https from 'node:https'
import type {TLSSocket} from 'node:tls'
import path from 'node:path'
import test, {type ExecutionContext} from 'ava'
import {execa} from 'execa'
import {runSync, text} from '../helpers/cli.js'
import {tempDir} from '../helpers/temp.js'
import {runServer, serverBin, startServer} from './support/server-process.js'
import {version} from './support/versions.js'

const hasOpenssl = (await execa('openssl', ['version'], {reject: false}).catch(() => ({exitCode: 1}))).exitCode === 0

async function selfSigned(t: ExecutionContext): Promise<{cert: string; key: string}> {
  const dir = await tempDir(t, 'sync-tls-')
  const cert = path.join(dir, 'cert.pem')
  const key = path.join(dir, 'key.pem')
  await execa('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-keyout', key, '-out', cert, '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]) // prettier-ignore
  return {cert, key}
}

async function makeToken(data: string, device: string): Promise<string> {
  const made = await runServer(['token', 'create', '--data', data, '--namespace', 'home', '--device', device])
  if (made.exitCode !== 0) throw new Error(String(made.stderr))
  return String(made.stdout).trim()
}

const tlsTest = hasOpenssl ? test : test.skip

tlsTest('--tls-cert/--tls-key: HTTPS with h2 and http/1.1 by ALPN; the sync CLI syncs over it when it trusts the certificate', async (t) => {
  const {cert, key} = await selfSigned(t)
  const data = await tempDir(t, 'sync-server-')
  const token = await makeToken(data, 'laptop')
  const child = execa('node', [serverBin, '--data', data, '--port', '0', '--tls-cert', cert, '--tls-key', key], {reject: false, buffer: {stdout: false}})
  t.teardown(() => void child.kill('SIGKILL'))
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /^listening on (https:\/\/\S+)\n/.exec(chunk.toString())
      if (match) resolve(match[1])
    })
    child.then((result) => reject(new Error(`exited ${result.exitCode}: ${String(result.stderr)}`)), reject)
  })
  const ca = await readFile(cert)

  // HTTP/1.1 over TLS.
  const h1 = await new Promise<{status?: number; alpn: string | false | undefined; body: string}>((resolve, reject) => {
    https
      .get(`${url}/v1/health`, {agent: new https.Agent({ca, ALPNProtocols: ['http/1.1']})}, (res) => {
        const alpn = (res.socket as TLSSocket).alpnProtocol ?? undefined
        let body = ''
        res.on('data', (part: Buffer) => (body += part.toString()))
        res.on('end', () => resolve({status: res.statusCode, alpn, body}))
      })
      .on('error', reject)
  })
  t.is(h1.status, 200)
  t.is(h1.alpn, 'http/1.1')
  t.like(JSON.parse(h1.body), {ok: true})
  // HTTP/2 over TLS.
  const session = http2.connect(url, {ca})
  t.teardown(() => session.destroy())
  const h2 = await new Promise<{status: unknown; body: string}>((resolve, reject) => {
    const stream = session.request({':path': '/v1/ns/home/changes', authorization: `Bearer ${token}`})
    let status: unknown
    let body = ''
    stream.on('response', (headers) => (status = headers[':status']))
    stream.on('data', (part: Buffer) => (body += part.toString()))
    stream.on('end', () => resolve({status, body}))
    stream.on('error', reject)
  })
  t.is(session.alpnProtocol, 'h2')
  t.is(h2.status, 200)
  t.like(JSON.parse(h2.body), {head: 0})
  session.close()

  // The CLI: refused while it does not trust the certificate, in sync once it does.
  const folder = path.join(await tempDir(t, 'sync-tls-device-'), 'recipes')
  await mkdir(folder)
  await writeFile(path.join(folder, 'Risotto.cook'), '= Risotto\n')
  const init = await runSync(['init', folder, '--server', url, '--namespace', 'home', '--token', token, '--device', 'laptop'], {
    env: {NODE_EXTRA_CA_CERTS: cert},
  })
  t.is(init.exitCode, 0, text(init.stderr))
  const untrusted = await runSync(['once', '-C', folder], {env: {NODE_EXTRA_CA_CERTS: ''}})
  t.is(untrusted.exitCode, 8, text(untrusted.stderr))
  const once = await runSync(['once', '-C', folder], {env: {NODE_EXTRA_CA_CERTS: cert}})
  t.is(once.exitCode, 0, text(once.stderr))
  const log = await runSync(['log', 'Risotto.cook', '-C', folder, '--json'], {env: {NODE_EXTRA_CA_CERTS: cert}})
  t.is(log.exitCode, 0, text(log.stderr))
  t.regex(text(log.stdout), /"jid": 1/)

  child.kill('SIGTERM')
  t.is((await child).exitCode, 0)
})

test('--tls-cert without --tls-key, or an unreadable certificate, is refused before serving', async (t) => {
  const data = await tempDir(t, 'sync-server-')
  const alone = await runServer(['--data', data, '--port', '0', '--tls-cert', 'cert.pem'])
  t.is(alone.exitCode, 2)
  t.is(String(alone.stderr), 'error: --tls-cert and --tls-key go together')
  const unreadable = await runServer(['--data', data, '--port', '0', '--tls-cert', path.join(data, 'nope.pem'), '--tls-key', path.join(data, 'nope.pem')])
  t.is(unreadable.exitCode, 2)
  t.regex(String(unreadable.stderr), /^error: --tls-cert: cannot read .*nope\.pem/)
})

test('backup of a data folder being served and written to: a consistent, checked copy that serves as it was', async (t) => {
  const data = await tempDir(t, 'sync-server-')
  const token = await makeToken(data, 'laptop')
  const server = await startServer(t, data)
  const commit = async (path: string, ...lines: string[]) => {
    const v = version(...lines)
    const res = await fetch(`${server.url}/v1/ns/home/commit`, {
      method: 'POST',
      headers: {Authorization: `Bearer ${token}`, 'Content-Type': 'application/json'},
      body: JSON.stringify({device: 'laptop', items: [{path, base: null, manifest: v.manifest}], ...v.inline}),
    })
    t.is(res.status, 200)
  }
  for (let i = 0; i < 20; i++) await commit(`before-${i}.cook`, `line ${i}\n`, 'shared\n')
  // Commits go on while the copy is taken.
  let writing = true
  let during = 0
  const writer = (async () => {
    while (writing) await commit(`during-${during++}.cook`, `during ${during}\n`)
  })()
  const backups = await tempDir(t, 'sync-backup-')
  const to = path.join(backups, 'copy')
  const made = await runServer(['backup', '--data', data, '--to', to, '--json'])
  writing = false
  await writer
  t.is(made.exitCode, 0, String(made.stderr))
  t.like(JSON.parse(String(made.stdout)), {to, namespaces: 1})
  t.true(during > 0, 'commits were made during the copy')

  const fsck = await runServer(['fsck', '--data', to, '--json'])
  t.is(fsck.exitCode, 0, String(fsck.stdout))
  await server.stop()

  // Restore: serve the copy. It has every commit from before, and no entry whose chunks it lacks.
  const restored = await startServer(t, to)
  const res = await fetch(`${restored.url}/v1/ns/home/changes?since=0&limit=1000`, {headers: {Authorization: `Bearer ${token}`}})
  const body = (await res.json()) as {head: number; entries: {path: string}[]}
  t.true(body.head >= 20 && body.head <= 20 + during, `head ${body.head}`)
  t.deepEqual(
    body.entries.slice(0, 20).map((entry) => entry.path),
    Array.from({length: 20}, (_, i) => `before-${i}.cook`),
  )
  const content = await fetch(`${restored.url}/v1/ns/home/entries/${body.head}/content`, {headers: {Authorization: `Bearer ${token}`}})
  t.is(content.status, 200)
  await restored.stop()

  // Refusals: a folder that is not empty, a data folder that is not there.
  const full = await runServer(['backup', '--data', data, '--to', to])
  t.is(full.exitCode, 2)
  t.regex(String(full.stderr), /exists and is not empty/)
  const none = await runServer(['backup', '--data', path.join(backups, 'nothing'), '--to', path.join(backups, 'x')])
  t.is(none.exitCode, 1)
})

test('contrib/systemd: every setting of the config example is one that sync-server --help documents', async (t) => {
  const example = await readFile(path.join(path.dirname(serverBin), '..', 'contrib', 'systemd', 'sync-server.env'), 'utf8')
  const names = [...example.matchAll(/^#?(SYNC_SERVER_[A-Z_]+|SYNC_SERVER_DB|SYNC_SERVER_BLOBS)=/gm)].map((match) => match[1])
  t.deepEqual(names, [
    'SYNC_SERVER_DATA',
    'SYNC_SERVER_DB',
    'SYNC_SERVER_BLOBS',
    'SYNC_SERVER_HOST',
    'SYNC_SERVER_PORT',
    'SYNC_SERVER_GC_EVERY',
    'SYNC_SERVER_TLS_CERT',
    'SYNC_SERVER_TLS_KEY',
  ])
  const help = String((await runServer(['--help'])).stdout)
  for (const name of names) t.true(help.includes(name), name)
})
