/**
 * What the HTTP/2 client and our listener put on the wire, frame by frame: a small exchange on a fresh connection
 * carries no flow-control setup, an answer's body ends its stream, and a body larger than the default window
 * widens the receiver's windows once instead of being paced by window updates.
 */
import test, {type ExecutionContext} from 'ava'
import {JournalClient} from '#src/journal/journal-client.js'
import {serverUrl} from '#src/journal/http-transport.js'
import {Http2Transport} from '#src/journal/http2-transport.js'
import {TOKEN_HEADER_SETTING} from '#src/protocol/token-header.js'
import {WINDOW_BYTES} from '#src/util/http2-window.js'
import {FLAG, FRAME, frameProxy, settingsOf, type Frame} from './support/frame-proxy.js'
import {productionListener} from './support/production-listener.js'
import {h2Peer} from './support/raw-peers.js'

/** Four times the default window (64 KiB): paced by it, such a body needs dozens of window updates. */
const BIG = 4 * 1024 * 1024

const settings = (frames: Frame[], direction: Frame['direction']) =>
  frames.filter((f) => f.direction === direction && f.type === FRAME.SETTINGS && !(f.flags & FLAG.ACK)).map(settingsOf)
const windowUpdates = (frames: Frame[], direction: Frame['direction']) => frames.filter((f) => f.direction === direction && f.type === FRAME.WINDOW_UPDATE)

/** The receiver (sending in `direction`) kept the default SETTINGS, widened its windows once, then sent few updates. */
function assertWidenedOnce(t: ExecutionContext, frames: Frame[], direction: Frame['direction']): void {
  t.deepEqual(
    settings(frames, direction).map((s) => s.get(4)),
    [undefined, WINDOW_BYTES],
    'the default SETTINGS, then the window widened once',
  )
  const updates = windowUpdates(frames, direction).length
  t.true(updates <= 8, `${updates} window updates for ${BIG} bytes`)
}

test('a small exchange on a fresh connection sends default SETTINGS both ways and no window update', async (t) => {
  const {url, token} = await productionListener(t)
  const proxy = await frameProxy(t, url)
  const client = new JournalClient({url: proxy.url, namespace: 'home', token})
  t.teardown(() => client.close())
  t.like(await client.changes(0), {head: 0})
  const [up, down] = [settings(proxy.frames, 'up'), settings(proxy.frames, 'down')]
  t.deepEqual(
    up.map((s) => [...s]),
    [[]],
    'up: one SETTINGS frame, empty',
  )
  // The server's one entry says it reads the token as sync-token (src/protocol/token-header.ts): 6 bytes.
  t.deepEqual(
    down.map((s) => [...s]),
    [[[TOKEN_HEADER_SETTING, 1]]],
    'down: one SETTINGS frame, the token setting only',
  )
  for (const direction of ['up', 'down'] as const) t.is(windowUpdates(proxy.frames, direction).length, 0, `${direction}: no WINDOW_UPDATE`)
})

test("an answer's last DATA frame ends its stream: no empty DATA frame follows it", async (t) => {
  const {url, token} = await productionListener(t)
  const proxy = await frameProxy(t, url)
  const client = new JournalClient({url: proxy.url, namespace: 'home', token})
  t.teardown(() => client.close())
  await client.changes(0)
  const data = proxy.frames.filter((f) => f.direction === 'down' && f.type === FRAME.DATA)
  t.is(data.length, 1)
  t.true(data[0].payload.length > 0)
  t.is(data[0].flags & FLAG.END_STREAM, FLAG.END_STREAM)
})

test("a request body over the default window widens the server's windows once: the upload is not paced by window updates", async (t) => {
  const {url, token} = await productionListener(t)
  const proxy = await frameProxy(t, url)
  const transport = new Http2Transport(serverUrl(proxy.url), token)
  t.teardown(() => transport.close())
  const answer = await transport.request('POST', '/v1/ns/home/commit', {
    body: Buffer.alloc(BIG, 'x'),
    contentType: 'application/json',
    idleMs: 10_000,
    maxBytes: 1 << 20,
  })
  t.is(answer.status, 400, 'the body was read to its end (it is not JSON)')
  assertWidenedOnce(t, proxy.frames, 'down')
})

test("an answer over the default window widens the client's windows once: the download is not paced by window updates", async (t) => {
  const url = await h2Peer(t, (stream) => {
    stream.respond({':status': 200, 'content-length': BIG})
    stream.end(Buffer.alloc(BIG, 'y'))
  })
  const proxy = await frameProxy(t, url)
  const transport = new Http2Transport(serverUrl(proxy.url), 'token')
  t.teardown(() => transport.close())
  const answer = await transport.request('GET', '/pack', {idleMs: 10_000, maxBytes: 2 * BIG})
  t.is(answer.body.length, BIG)
  assertWidenedOnce(t, proxy.frames, 'up')
})
