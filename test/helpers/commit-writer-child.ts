/**
 * Child process for crash tests of the server's storage: opens the data folder in argv[2], stores one chunk (the
 * line argv[4]) in namespace `home` and commits an entry naming it (argv[3] `commit`), or a commit whose work
 * throws after writing its entry (`refused`); prints the outcome and kills itself with SIGKILL at once, as a power cut would, before
 * anything the storage does afterwards (settling staged chunks) can run.
 */
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {fileManifest} from '#src/manifest/manifest.js'
import {openLmdbStorage} from '#server/storage/lmdb/open-lmdb-storage.js'

const [dir, mode, line] = process.argv.slice(2)
const LINE = Buffer.from(line!)
const storage = await openLmdbStorage(dir!)
const chunks = await storage.chunks.namespace('home')
const recoveries = chunks.recoveries
await chunks.add([{id: sha256Hex(LINE), bytes: LINE}])
const entry = {
  path: 'a.txt',
  prev: null,
  kind: 'file',
  device: 'child',
  time: 1,
  manifest: fileManifest(IdList.fromHex([sha256Hex(LINE)]), LINE.length),
} as const
const outcome = await storage.journal
  .transact(
    'home',
    {heads: new Set(['a.txt']), under: new Set(), appends: 1},
    (view) => {
      const jid = view.append(entry)
      if (mode === 'refused') throw new Error('refused after writing its entry')
      return jid
    },
    {store: chunks, recoveries},
  )
  .then(
    (jid) => `committed ${jid}`,
    (error: Error) => error.message,
  )
process.stdout.write(`${outcome}\n`)
process.kill(process.pid, 'SIGKILL')
