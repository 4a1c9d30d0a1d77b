/** `sync daemon --ui`'s address: loopback only (the page can change the folder), port 0 for a free one. */
import test from 'ava'
import {parseUiAddress, uiOrigins} from '#src/daemon-ui/ui-address.js'

test('loopback addresses are taken; localhost is 127.0.0.1; a bare port is on 127.0.0.1', (t) => {
  t.deepEqual(parseUiAddress('127.0.0.1:8384'), {host: '127.0.0.1', port: 8384})
  t.deepEqual(parseUiAddress('127.0.0.2:0'), {host: '127.0.0.2', port: 0})
  t.deepEqual(parseUiAddress('[::1]:8384'), {host: '::1', port: 8384})
  t.deepEqual(parseUiAddress('localhost:8384'), {host: '127.0.0.1', port: 8384})
  t.deepEqual(parseUiAddress('8384'), {host: '127.0.0.1', port: 8384})
  t.deepEqual(uiOrigins({host: '127.0.0.1', port: 8384}), ['127.0.0.1:8384', 'localhost:8384'])
  t.deepEqual(uiOrigins({host: '::1', port: 8384}), ['[::1]:8384'])
})

test('any other address is refused, saying why', (t) => {
  for (const address of ['0.0.0.0:8384', '192.168.1.5:8384', '[::]:8384', 'example.com:8384', '127.0.0.1.example.com:80'])
    t.regex(t.throws(() => parseUiAddress(address))!.message, /loopback address only/, address)
  for (const address of ['127.0.0.1', '127.0.0.1:', '127.0.0.1:99999', 'http://127.0.0.1:80'])
    t.is((t.throws(() => parseUiAddress(address)) as {code?: string}).code, 'E_INVALID_INPUT', address)
})
