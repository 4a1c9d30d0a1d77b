/** A `sync daemon` subprocess on a folder (more flags in `args`), its output collected, stopped (SIGKILL) when the test ends. */
import type {ExecutionContext} from 'ava'
import {execa} from 'execa'
import {syncBin} from './cli.js'
import {waitFor} from './wait-for.js'

/** `asProgram`: the bin run itself, as installed (its sh line starts node), instead of `node bin/run.js`. */
export async function startCliDaemon(t: ExecutionContext, cwd: string, options: {args?: string[]; env?: Record<string, string>; asProgram?: boolean} = {}) {
  const args = ['daemon', '--debounce', '10', ...(options.args ?? [])]
  const process = options.asProgram
    ? execa(syncBin, args, {cwd, env: options.env ?? {}, reject: false})
    : execa('node', [syncBin, ...args], {cwd, env: options.env ?? {}, reject: false})
  t.teardown(() => process.kill('SIGKILL'))
  const output = {text: ''}
  process.stdout!.on('data', (data: Buffer) => (output.text += data.toString()))
  process.stderr!.on('data', (data: Buffer) => (output.text += data.toString()))
  /** Waits for the daemon to say `what`, failing with all it said. */
  const said = (what: string | RegExp) =>
    waitFor(`the daemon to say ${what}`, () => (typeof what === 'string' ? output.text.includes(what) : what.test(output.text)), 60_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}; it said: ${output.text}`)
      },
    )
  await said('watching')
  const stop = async () => {
    process.kill('SIGTERM')
    return process
  }
  return {pid: process.pid!, output, said, stop}
}
