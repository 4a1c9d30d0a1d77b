/**
 * `sync-server token create | list | revoke` on the real process: named tokens per device, an admin token for the
 * operator's routes, last uses, and the first forms (`token --namespace`, `token --revoke TOKEN`) still working.
 */
import {createHash} from 'node:crypto'
import test, {type ExecutionContext} from 'ava'
import {execa} from 'execa'
import {JournalClient} from '#src/journal/journal-client.js'
import {USAGE} from '#server/cli/usage.js'
import {tempDir} from '../helpers/temp.js'
import {runServer, serverBin, startServer} from './support/server-process.js'
import {revocationEndsLongPoll} from './support/revocation.js'

const TOKEN = /^[A-Za-z0-9_-]{43}$/
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

interface Row {
  name: string
  namespace: string | null
  rights: string
  created: string
  lastUsed: string | null
}

async function create(t: ExecutionContext, data: string, ...args: string[]): Promise<string> {
  const made = await runServer(['token', 'create', '--data', data, ...args])
  t.is(made.exitCode, 0, String(made.stderr))
  t.regex(String(made.stdout), TOKEN)
  return String(made.stdout)
}

async function list(t: ExecutionContext, data: string, ...args: string[]): Promise<Row[]> {
  const listed = await runServer(['token', 'list', '--data', data, '--json', ...args])
  t.is(listed.exitCode, 0, String(listed.stderr))
  return (JSON.parse(String(listed.stdout)) as {tokens: Row[]}).tokens
}

function client(t: ExecutionContext, url: string, token: string): JournalClient {
  const journal = new JournalClient({url, namespace: 'home', token}, {timeoutMs: 10_000})
  t.teardown(() => journal.close())
  return journal
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex')
const get = (url: string, token?: string) => fetch(url, {headers: token ? {Authorization: `Bearer ${token}`} : {}})

test('token create: a named token per device, alone or as JSON; a name taken in its namespace exits 1 and makes nothing', async (t) => {
  const data = await tempDir(t)
  await create(t, data, '--namespace', 'home', '--device', 'laptop')
  const json = await runServer(['token', 'create', '--data', data, '--namespace', 'home', '--device', 'kitchen', '--read-only', '--json'])
  t.is(json.exitCode, 0, String(json.stderr))
  const made = JSON.parse(String(json.stdout)) as {token: string}
  t.like(made, {name: 'kitchen', namespace: 'home', rights: 'read-only'})
  t.deepEqual(Object.keys(made).sort(), ['name', 'namespace', 'rights', 'token'])
  t.regex(made.token, TOKEN)

  const taken = await runServer(['token', 'create', '--data', data, '--namespace', 'home', '--device', 'laptop'])
  t.is(taken.exitCode, 1)
  t.is(String(taken.stdout), '')
  t.is(String(taken.stderr), 'error: a token named laptop exists in namespace home: revoke it first, or pick another name')
  // The same name in another namespace, and among admin tokens, is another token.
  await create(t, data, '--namespace', 'work', '--device', 'laptop')
  await create(t, data, '--admin', '--device', 'laptop')
  t.is((await runServer(['token', 'create', '--data', data, '--admin', '--device', 'laptop'])).exitCode, 1)
  for (const bad of [['--device', '../x'], ['--device', 'x'.repeat(65)], ['--device', ''], []]) {
    const refused = await runServer(['token', 'create', '--data', data, '--namespace', 'home', ...bad])
    t.is(refused.exitCode, 2, `${bad.join(' ')}: ${String(refused.stderr)}`)
    t.regex(String(refused.stderr), /^error: [^\n]+$/)
  }
  t.is((await runServer(['token', 'create', '--data', data, '--admin', '--namespace', 'home'])).exitCode, 2)
  t.deepEqual(
    (await list(t, data)).map((row) => `${row.namespace}/${row.name} ${row.rights}`),
    ['null/laptop admin', 'home/kitchen read-only', 'home/laptop read-write', 'work/laptop read-write'],
  )
  // The JSON's token is the token.
  const server = await startServer(t, data)
  t.is((await client(t, server.url, made.token).changes(0)).head, 0)
})

test('token list: name, namespace, rights, created and last used, as a table or JSON, never a token or its hash, beside a running server', async (t) => {
  const data = await tempDir(t)
  const before = Date.now()
  const laptop = await create(t, data, '--namespace', 'home', '--device', 'laptop')
  const kitchen = await create(t, data, '--namespace', 'home', '--device', 'kitchen', '--read-only')
  const work = await create(t, data, '--namespace', 'work', '--device', 'laptop')
  const admin = await create(t, data, '--admin', '--device', 'prometheus')
  const server = await startServer(t, data)
  const used = Date.now()
  t.is((await client(t, server.url, laptop).changes(0)).head, 0)
  // While the server serves the folder.
  const serving = await list(t, data)
  t.deepEqual(
    serving.map(({name, namespace, rights}) => ({name, namespace, rights})),
    [
      {name: 'prometheus', namespace: null, rights: 'admin'},
      {name: 'kitchen', namespace: 'home', rights: 'read-only'},
      {name: 'laptop', namespace: 'home', rights: 'read-write'},
      {name: 'laptop', namespace: 'work', rights: 'read-write'},
    ],
  )
  for (const row of serving) {
    t.deepEqual(Object.keys(row), ['name', 'namespace', 'rights', 'created', 'lastUsed'])
    t.regex(row.created, ISO)
    t.true(Date.parse(row.created) >= before - 1 && Date.parse(row.created) <= used + 1, row.created)
  }
  t.deepEqual(
    (await list(t, data, '--namespace', 'home')).map((row) => row.name),
    ['kitchen', 'laptop'],
  )
  // The server writes uses once a minute, and what it holds when it stops.
  t.is((await server.stop()).exitCode, 0)
  const after = Date.now()
  const rows = await list(t, data)
  const lastUsed = rows.find((row) => row.name === 'laptop' && row.namespace === 'home')!.lastUsed!
  t.regex(lastUsed, ISO)
  t.true(Date.parse(lastUsed) >= used - 1 && Date.parse(lastUsed) <= after + 1, lastUsed)
  t.deepEqual(
    rows.filter((row) => row.lastUsed === null).map((row) => `${row.namespace}/${row.name}`),
    ['null/prometheus', 'home/kitchen', 'work/laptop'],
  )

  const table = await runServer(['token', 'list', '--data', data])
  t.is(table.exitCode, 0)
  const lines = String(table.stdout).split('\n')
  t.deepEqual(lines[0].split(/ {2,}/), ['NAME', 'NAMESPACE', 'RIGHTS', 'CREATED', 'LAST USED'])
  t.deepEqual(
    lines.slice(1).map((line) => line.split(/ {2,}/)),
    [
      ['prometheus', '-', 'admin', rows[0].created, 'never'],
      ['kitchen', 'home', 'read-only', rows[1].created, 'never'],
      ['laptop', 'home', 'read-write', rows[2].created, lastUsed],
      ['laptop', 'work', 'read-write', rows[3].created, 'never'],
    ],
  )
  for (const token of [laptop, kitchen, work, admin]) {
    for (const secret of [token, hashOf(token), hashOf(token).slice(0, 16)]) {
      t.false(String(table.stdout).includes(secret), 'no token or hash in the table')
      t.false(JSON.stringify(rows).includes(secret), 'no token or hash in the JSON')
    }
  }
  const missing = await runServer(['token', 'list', '--data', `${data}/typo`])
  t.is(missing.exitCode, 1)
  t.is(String(missing.stderr), `error: no sync-server data folder at ${data}/typo`)
})

test("token revoke NAME ends a running server's long-poll of that token at once with 401; the namespace's other tokens serve on", async (t) => {
  const data = await tempDir(t)
  const writer = await create(t, data, '--namespace', 'home', '--device', 'laptop')
  const doomed = await create(t, data, '--namespace', 'home', '--device', 'phone')
  const admin = await create(t, data, '--admin')
  const server = await startServer(t, data)
  await revocationEndsLongPoll(t, {url: server.url, writer, doomed, admin}, async () => {
    const revoked = await runServer(['token', 'revoke', '--data', data, 'phone', '--namespace', 'home'])
    t.is(revoked.exitCode, 0, String(revoked.stderr))
  })
  t.is((await get(`${server.url}/v1/ns/home/changes?since=0`, doomed)).status, 401)
  t.is((await client(t, server.url, writer).changes(0)).head, 1)
  t.deepEqual(
    (await list(t, data)).map((row) => row.name),
    [`token-${hashOf(admin).slice(0, 6)}`, 'laptop'],
  )
  const again = await runServer(['token', 'revoke', '--data', data, 'phone', '--namespace', 'home'])
  t.is(again.exitCode, 1)
  t.is(String(again.stderr), 'error: no token named phone in namespace home (sync-server token list shows them)')
  t.is((await runServer(['token', 'revoke', '--data', data, 'laptop'])).exitCode, 2, 'a name needs its namespace (or --admin)')
})

test('an admin token reads /metrics and no namespace; a namespace token gets 403 there, no token 401', async (t) => {
  const data = await tempDir(t)
  const laptop = await create(t, data, '--namespace', 'home', '--device', 'laptop')
  const admin = await create(t, data, '--admin', '--device', 'prometheus')
  const server = await startServer(t, data)
  const metrics = await get(`${server.url}/metrics`, admin)
  t.is(metrics.status, 200)
  t.regex(await metrics.text(), /^sync_longpoll_waiters 0$/m)
  const forbidden = await get(`${server.url}/metrics`, laptop)
  t.is(forbidden.status, 403)
  t.deepEqual(await forbidden.json(), {error: {code: 'E_FORBIDDEN', message: 'this route needs an admin token (sync-server token create --admin)'}})
  const anonymous = await get(`${server.url}/metrics`)
  t.is(anonymous.status, 401)
  t.is(((await anonymous.json()) as {error: {code: string}}).error.code, 'E_UNAUTHORIZED')
  const reading = await get(`${server.url}/v1/ns/home/changes?since=0`, admin)
  t.is(reading.status, 403)
  t.deepEqual(await reading.json(), {error: {code: 'E_FORBIDDEN', message: "an admin token reads no namespace's data"}})
  t.is((await runServer(['token', 'revoke', '--data', data, 'prometheus', '--admin'])).exitCode, 0)
  t.is((await get(`${server.url}/metrics`, admin)).status, 401)
})

test('the first forms still work: token --namespace NS names its token after its hash; token --revoke TOKEN revokes it', async (t) => {
  const data = await tempDir(t)
  const made = await runServer(['token', '--data', data, '--namespace', 'home', '--read-only'])
  t.is(made.exitCode, 0, String(made.stderr))
  const token = String(made.stdout)
  t.regex(token, TOKEN)
  t.like(await list(t, data), [{name: `token-${hashOf(token).slice(0, 6)}`, namespace: 'home', rights: 'read-only'}])
  const server = await startServer(t, data)
  t.is((await client(t, server.url, token).changes(0)).head, 0)
  t.is((await runServer(['token', '--data', data, '--revoke', token])).exitCode, 0)
  t.is((await get(`${server.url}/v1/ns/home/changes?since=0`, token)).status, 401)
  t.deepEqual(await list(t, data), [])
})

test('the token help examples run as shown', async (t) => {
  const data = await tempDir(t)
  const examples = USAGE.token.split('Examples:\n')[1].trim().split('\n')
  t.true(examples.length >= 5)
  const env = {TOKEN: String((await runServer(['token', '--data', data, '--namespace', 'recipes'])).stdout)}
  for (const example of examples) {
    const script = `sync-server() { node '${serverBin}' "$@"; }; ${example.trim().replaceAll('/var/lib/sync', `'${data}'`)}`
    const run = await execa('bash', ['-c', script], {reject: false, env})
    t.is(run.exitCode, 0, `${example}: ${String(run.stderr)}`)
  }
  t.deepEqual(
    (await list(t, data)).map((row) => `${row.namespace}/${row.name}`),
    ['null/prometheus', 'recipes/kitchen'],
  )
})
