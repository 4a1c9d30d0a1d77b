/**
 * The fast path: `sync check-chunk ID...`, `sync read-chunk ID`, `sync hashify FILE...` and `sync once`, called
 * plainly (no flags but -C), run here without loading oclif, which costs more than node's own start (55 ms
 * against 40 ms measured here). Scripts call the chunk commands once per chunk or file, and cron or a benchmark
 * calls `once` on a folder with nothing to do, so their start-up is much of their cost. Output, errors and exit codes are the same as the oclif
 * commands' (a test runs both); anything else returns false and goes through oclif.
 * SYNC_NO_FAST_PATH=1 turns it off (but for `sync --version`, always answered here).
 */
import {EXIT, exitCodeFor} from '#src/errors/index.js'
import {asSyncError} from './as-sync-error.js'

interface Plain {
  command: string
  dir?: string
  args: string[]
}

function parsePlain(argv: readonly string[]): Plain | undefined {
  const [command, ...rest] = argv
  if (command !== 'check-chunk' && command !== 'read-chunk' && command !== 'hashify' && command !== 'once') return undefined
  const args: string[] = []
  let dir: string | undefined
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]
    if ((arg === '-C' || arg === '--dir') && i + 1 < rest.length && dir === undefined) dir = rest[++i]
    else if (arg.startsWith('-')) return undefined
    else args.push(arg)
  }
  if (command === 'read-chunk' && args.length !== 1) return undefined
  if (command === 'once' && args.length !== 0) return undefined
  if (command === 'hashify' && args.length === 0) return undefined
  return {command, dir, args}
}

export async function runFastPath(argv: readonly string[]): Promise<boolean> {
  // Not oclif's `sync/0.1.0 linux-x64 node-v20`: the version and the protocol, as `sync-server --version` says them.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    const [{PACKAGE_VERSION}, {ANNOUNCED_PROTOCOL}] = await Promise.all([import('#src/util/package-version.js'), import('#src/journal/user-agent.js')])
    process.stdout.write(`sync ${PACKAGE_VERSION} (protocol ${ANNOUNCED_PROTOCOL})\n`)
    return true
  }
  if (process.env.SYNC_NO_FAST_PATH === '1') return false
  const plain = parsePlain(argv)
  if (!plain) return false
  const startDir = plain.dir ?? process.cwd()
  try {
    if (plain.command === 'check-chunk') {
      const [{argsOrStdin}, {checkChunks}] = await Promise.all([import('./read-list.js'), import('./check-chunks.js')])
      const {missing} = await checkChunks(startDir, await argsOrStdin(plain.args))
      if (missing.length > 0) {
        process.stdout.write(`${missing.join('\n')}\n`)
        process.exitCode = 1
      }
    } else if (plain.command === 'hashify') {
      // The hashing thread starts, and begins on the first file, while the rest of the command loads.
      const {warmUpForBigFiles} = await import('#src/files/hash-thread-pool.js')
      await warmUpForBigFiles(plain.args)
      const {hashAhead, stopHashingAhead} = await import('#src/files/hash-threads.js')
      await hashAhead(plain.args[0])
      try {
        const {printHashified} = await import('./hashify-files.js')
        await printHashified(startDir, plain.args)
      } finally {
        await stopHashingAhead()
      }
    } else if (plain.command === 'once') {
      const {runOnce} = await import('./run-once.js')
      await runOnce(startDir, {json: false, log: (line) => process.stdout.write(`${line}\n`)})
    } else {
      const {readChunkBytes} = await import('./read-chunk-bytes.js')
      const bytes = await readChunkBytes(startDir, plain.args[0])
      await new Promise<void>((resolve, reject) => process.stdout.write(bytes, (error) => (error ? reject(error) : resolve())))
    }
  } catch (error) {
    // As the oclif base command maps them (base-command.ts).
    const typed = asSyncError(error)
    if (typed) {
      process.stderr.write(`error: ${typed.message}\n`)
      process.exitCode = exitCodeFor(typed.code)
    } else {
      process.stderr.write(`error: unexpected: ${(error as Error).message}\n`)
      process.exitCode = EXIT.failure
    }
  }
  return true
}
