import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'
import {sha256Hex} from '#src/chunk/hash.js'
import {fsckStore} from '#src/store/fsck.js'
import {randomBytes} from '../helpers/random.js'
import {openStoreIn} from '../helpers/store.js'
import {repoRoot, tempDir} from '../helpers/temp.js'

const child = path.join(repoRoot, 'dist', 'test', 'helpers', 'store-writer-child.js')

// Kill the writer at different moments: after it reported 1, 3 and 6 durable batches, while it writes more.
for (const killAfter of [1, 3, 6]) {
  test(`a writer killed with SIGKILL after ${killAfter} durable batches leaves a consistent store`, async (t) => {
    const dir = await tempDir(t)
    const writer = execa('node', [child, dir], {cwd: repoRoot, reject: false, buffer: false})
    let durable = -1
    await new Promise<void>((resolve) => {
      writer.stdout!.on('data', (data: Buffer) => {
        for (const line of data.toString().trim().split('\n')) durable = Number(line.split(' ')[1])
        if (durable + 1 >= killAfter) {
          writer.kill('SIGKILL')
          resolve()
        }
      })
    })
    await writer
    const {store} = await openStoreIn(t, dir)
    // Nothing indexed points at missing or partial bytes...
    const report = await fsckStore(store)
    t.deepEqual(report.damaged, [])
    // ...and every batch reported durable is there in full.
    for (let batch = 0; batch <= durable; batch++) {
      const ids = Array.from({length: 300}, (_, i) => sha256Hex(Buffer.from(`batch ${batch} line ${i}\n`)))
      ids.push(sha256Hex(randomBytes(30_000, batch)))
      t.deepEqual(store.missing(ids), [], `batch ${batch}`)
    }
  })
}
