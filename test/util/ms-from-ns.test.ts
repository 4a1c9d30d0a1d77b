import {lstatSync, utimesSync, writeFileSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import test from 'ava'
import {msFromNs} from '#src/util/ms-from-ns.js'

// Records of earlier versions hold bigint-stat nanoseconds; they must compare equal to today's plain stats, or
// an upgrade would re-read every file once (and a mismatch the other way would hide an edit).
test("nanoseconds convert to exactly the plain stat's mtimeMs and ctimeMs of the same file", async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sync-ms-'))
  t.teardown(() => rm(dir, {recursive: true, force: true}))
  const times = [1_700_000_000.123456, 1_000_000_000, 86_400.5, 2_000_000_000.999999]
  for (const [n, seconds] of times.entries()) {
    const file = path.join(dir, `f${n}`)
    writeFileSync(file, String(n))
    utimesSync(file, seconds, seconds)
    const big = lstatSync(file, {bigint: true})
    const plain = lstatSync(file)
    t.is(msFromNs(big.mtimeNs), plain.mtimeMs, `mtime ${seconds}`)
    t.is(msFromNs(big.ctimeNs.toString()), plain.ctimeMs, 'ctime, from a string')
  }
})
