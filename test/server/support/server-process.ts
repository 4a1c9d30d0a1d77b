/** The real `sync-server` as a subprocess (the built bin), the way users run it. */
import path from 'node:path'
import type {ExecutionContext} from 'ava'
import {execa, type ResultPromise, type Result} from 'execa'
import {repoRoot} from '../../helpers/temp.js'

export const serverBin = path.join(repoRoot, 'bin', 'sync-server.js')

export interface ServerProcess {
  url: string
  child: ResultPromise
  /** Sends SIGTERM and waits for the exit. */
  stop(): Promise<Result>
}

/** Starts `sync-server --port 0` on `data` and waits for its `listening on` line; killed at the test's end. */
export async function startServer(t: ExecutionContext, data: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = execa('node', [serverBin, '--data', data, '--port', '0', '--host', '127.0.0.1'], {reject: false, env, buffer: {stdout: false, stderr: true}})
  t.teardown(() => {
    child.kill('SIGKILL')
  })
  const url = await new Promise<string>((resolve, reject) => {
    let text = ''
    child.stdout!.on('data', (data: Buffer) => {
      text += data.toString()
      const match = /^listening on (http:\/\/\S+)\n/.exec(text)
      if (match) resolve(match[1])
    })
    child.then((result) => reject(new Error(`sync-server exited early (${result.exitCode}): ${String(result.stderr)}`)), reject)
  })
  return {
    url,
    child,
    async stop() {
      child.kill('SIGTERM')
      return child
    },
  }
}

/** Runs a `sync-server` verb (token, fsck) to completion. */
export function runServer(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return execa('node', [serverBin, ...args], {reject: false, env}) as unknown as Promise<Result>
}
