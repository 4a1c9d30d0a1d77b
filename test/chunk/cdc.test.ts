import test from 'ava'
import {CDC, type CdcParams, GEAR, cutPoint} from '#src/chunk/cdc.js'
import {randomBytes, seededRandom} from '../helpers/random.js'

/** The gear loop as FastCDC states it, one byte at a time: what the unrolled cutPoint must agree with. */
function plainCutPoint(buf: Uint8Array, start: number, n: number, params: CdcParams): number {
  if (n <= params.min) return n
  if (n > params.max) n = params.max
  const normal = n < params.avg ? n : params.avg
  let fp = 0
  let i = params.min
  for (; i < normal; i++) {
    fp = ((fp << 1) + GEAR[buf[start + i]]) | 0
    if ((fp & params.maskS) === 0) return i + 1
  }
  for (; i < n; i++) {
    fp = ((fp << 1) + GEAR[buf[start + i]]) | 0
    if ((fp & params.maskL) === 0) return i + 1
  }
  return n
}

test("the unrolled cut point is the plain loop's, for every start and length", (t) => {
  const random = seededRandom(5)
  const bytes = randomBytes(4 * 1024 * 1024, 9)
  // Small sizes too, so that cuts land on every position of the unrolled loop and in its tail.
  const small: CdcParams = {min: 16, avg: 64, max: 256, maskS: ~0 << 26, maskL: ~0 << 30}
  for (const params of [CDC, small]) {
    const offsets = new Set<number>()
    for (let trial = 0; trial < 3000; trial++) {
      const start = Math.floor(random() * (bytes.length - params.max))
      const n = Math.floor(random() * (params.max + 20))
      const expected = plainCutPoint(bytes, start, n, params)
      t.is(cutPoint(bytes, start, n, params), expected)
      if (expected > params.min && expected < Math.min(n, params.max)) offsets.add((expected - params.min - 1) % 8)
    }
    t.is(offsets.size, 8, 'cuts at every offset of the unrolled loop')
  }
})
