/**
 * A sub-tree device does not rely on the server's `prefix` filter: behind a proxy that drops the filter (a server
 * that ignores it, or lies), the device still takes only the paths under its prefix, and sends only under it.
 */
import {createServer, request} from 'node:http'
import type {AddressInfo} from 'node:net'
import {readdir, readFile, writeFile} from 'node:fs/promises'
import test from 'ava'
import {makeDevice} from '../helpers/device.js'
import {startTestServer} from '../helpers/server.js'

/** An HTTP/1.1 proxy to `target` that removes `prefix` from every query, and counts the requests that had one. */
async function unfilteringProxy(t: Parameters<typeof startTestServer>[0], target: string) {
  const seen = {prefixed: 0}
  const proxy = createServer((incoming, answer) => {
    const url = new URL(incoming.url!, target)
    if (url.searchParams.has('prefix')) seen.prefixed++
    url.searchParams.delete('prefix')
    const forward = request(url, {method: incoming.method, headers: incoming.headers}, (response) => {
      answer.writeHead(response.statusCode!, response.headers)
      response.pipe(answer)
    })
    incoming.pipe(forward)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => (proxy.closeAllConnections(), proxy.close(() => resolve()))))
  return {url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, seen}
}

test('behind a server that ignores the prefix, a sub-tree device takes only its sub-tree, and sends under it', async (t) => {
  const server = await startTestServer(t)
  const writer = await makeDevice(t, server, 'laptop', {cookbook: true})
  await writer.pass()
  const proxy = await unfilteringProxy(t, server.url)
  const phone = await makeDevice(t, server, 'phone', {prefix: 'Breakfast', url: proxy.url})
  const first = await phone.pass()
  t.true(proxy.seen.prefixed > 0)
  t.deepEqual((await readdir(phone.root)).filter((name) => name !== '.sync').sort(), (await readdir(writer.file('Breakfast'))).sort())
  t.deepEqual(first.pull.refused, [])

  const [name] = await readdir(phone.root).then((names) => names.filter((n) => n !== '.sync'))
  await writeFile(phone.file(name), 'edited on the phone\n')
  await phone.pass()
  await writer.pass()
  t.is(await readFile(writer.file(`Breakfast/${name}`), 'utf8'), 'edited on the phone\n')
  const fromPhone = []
  for (let since = 0, more = true; more;) {
    const page = await writer.client.changes(since)
    fromPhone.push(...page.entries.filter((entry) => entry.device === 'phone').map((entry) => entry.path))
    ;({last: since, more} = page)
  }
  t.deepEqual(fromPhone, [`Breakfast/${name}`])
})
