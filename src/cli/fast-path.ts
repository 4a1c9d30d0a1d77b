/**
 * The fast path: `sync check-chunk ID...` and `sync read-chunk ID`, called plainly (no flags but -C), run
 * here without loading oclif, which costs more than node's own start (55 ms against 40 ms measured here).
 * Scripts call these once per chunk, so their start-up is their cost. Output, errors and exit codes are the
 * same as the oclif commands' (a test runs both); anything else returns false and goes through oclif.
 * SYNC_NO_FAST_PATH=1 turns it off.
 */
import {isSyncError} from '../errors/index.js'
import {exitCodeFor} from './exit-codes.js'

interface Plain {
  command: string
  dir?: string
  args: string[]
}

function parsePlain(argv: readonly string[]): Plain | undefined {
  const [command, ...rest] = argv
  if (command !== 'check-chunk' && command !== 'read-chunk') return undefined
  const args: string[] = []
  let dir: string | undefined
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]
    if ((arg === '-C' || arg === '--dir') && i + 1 < rest.length && dir === undefined) dir = rest[++i]
    else if (arg.startsWith('-')) return undefined
    else args.push(arg)
  }
  if (command === 'read-chunk' && args.length !== 1) return undefined
  return {command, dir, args}
}

export async function runFastPath(argv: readonly string[]): Promise<boolean> {
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
    } else {
      const {readChunkBytes} = await import('./read-chunk-bytes.js')
      const bytes = await readChunkBytes(startDir, plain.args[0])
      await new Promise<void>((resolve, reject) => process.stdout.write(bytes, (error) => (error ? reject(error) : resolve())))
    }
  } catch (error) {
    if (!isSyncError(error)) throw error
    process.stderr.write(`error: ${error.message}\n`)
    process.exitCode = exitCodeFor(error.code)
  }
  return true
}
