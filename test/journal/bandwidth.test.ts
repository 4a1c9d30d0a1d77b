/** Rates as users write them (src/journal/bandwidth.ts), and the bucket's pace measured against bytes taken. */
import test from 'ava'
import {Bandwidth, parseRate} from '#src/journal/bandwidth.js'
import {InvalidInputError} from '#src/errors/index.js'

test('parseRate reads bytes per second with k, M and G (1024), and off or 0 as no limit', (t) => {
  t.is(parseRate('800000'), 800000)
  t.is(parseRate('500k'), 512000)
  t.is(parseRate('2M'), 2 * 1024 * 1024)
  t.is(parseRate('1.5m'), 1.5 * 1024 * 1024)
  t.is(parseRate('1G'), 1024 ** 3)
  t.is(parseRate('2MB/s'), 2 * 1024 * 1024)
  t.is(parseRate('off'), undefined)
  t.is(parseRate('0'), undefined)
  for (const bad of ['', 'fast', '-1', '10', '1T', '2 M', '1e6']) t.throws(() => parseRate(bad), {instanceOf: InvalidInputError}, bad)
})

test('a bucket lets bytes through at its rate: 1.5 s worth takes at least that long, and not much more', async (t) => {
  const bandwidth = new Bandwidth(64 * 1024)
  const started = performance.now()
  // More than the burst at once, and in small takes.
  await bandwidth.take(64 * 1024)
  for (let i = 0; i < 32; i++) await bandwidth.take(1024)
  const seconds = (performance.now() - started) / 1000
  t.true(seconds >= 1.5 * 0.95, `${seconds} s`)
  t.true(seconds < 1.5 + 1, `${seconds} s`)
})
