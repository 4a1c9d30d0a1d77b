import test from 'ava'
import {inTheClear} from '#src/folder/server-settings.js'

test('plain HTTP is "in the clear" for any host but loopback; https never is', (t) => {
  for (const url of [
    'http://sync.example.org',
    'http://192.168.1.10:7140',
    'http://10.0.0.1',
    'http://[fe80::1]:7140',
    'http://0.0.0.0:9',
    'http://127.example.org',
  ])
    t.true(inTheClear(url), url)
  for (const url of [
    'https://sync.example.org',
    'http://localhost:7140',
    'http://sync.localhost',
    'http://127.0.0.1:7140',
    'http://127.1.2.3',
    'http://[::1]:7140',
  ])
    t.false(inTheClear(url), url)
})
