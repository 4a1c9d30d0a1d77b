import test from 'ava'
import tar from 'tar-stream'
import {tarFileHeader} from '#src/store/tar-header.js'

async function tarStreamHeader(name: string, size: number): Promise<Buffer> {
  const pack = tar.pack()
  const parts: Buffer[] = []
  pack.entry({name, size, mtime: new Date(0)}, Buffer.alloc(size))
  pack.finalize()
  for await (const part of pack) parts.push(part as Buffer)
  return Buffer.concat(parts).subarray(0, 512)
}

test('pack entry headers are byte for byte those tar-stream writes', async (t) => {
  for (const [name, size] of [
    ['00000000', 0],
    ['00000001', 1],
    ['00000002', 511],
    ['00000099', 65_536],
    ['12345678', 18 * 1024 * 1024 + 7],
  ] as const) {
    t.true(tarFileHeader(name, size).equals(await tarStreamHeader(name, size)), `${name} ${size}`)
  }
})
