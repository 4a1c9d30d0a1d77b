/** Runs the built `sync` CLI as a subprocess, the way users and scripts do. */
import path from 'node:path'
import {execa, type Result} from 'execa'
import {repoRoot} from './temp.js'

export const syncBin = path.join(repoRoot, 'bin', 'run.js')

export interface CliOptions {
  cwd?: string
  input?: string | Buffer
  env?: Record<string, string>
}

export async function runSync(args: string[], options: CliOptions = {}): Promise<Result> {
  return execa('node', [syncBin, ...args], {
    cwd: options.cwd,
    input: options.input ?? '',
    env: options.env,
    reject: false,
    encoding: 'buffer',
    stripFinalNewline: false,
  }) as unknown as Promise<Result>
}

export const text = (output: unknown): string => Buffer.from(output as Uint8Array).toString('utf8')

/** The JIDs of a file's versions, newest first, as `sync log --json` lists them. */
export const logJids = async (cwd: string, file: string): Promise<number[]> =>
  JSON.parse(text((await runSync(['log', file, '--json'], {cwd})).stdout)).versions.map((v: {jid: number}) => v.jid)
