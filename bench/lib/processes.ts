/** Child processes for benchmarks: started, waited on for readiness with a bound, always stopped. */
import {spawn, type ChildProcess} from 'node:child_process'
import {createServer} from 'node:net'

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as {port: number}
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

export function start(command: string, args: string[], options: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): ChildProcess {
  return spawn(command, args, {cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe']})
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

/** Polls `check` until it returns true, or throws after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000, everyMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

export async function requireCommand(command: string, install: string): Promise<void> {
  const ok = await new Promise<boolean>((resolve) => {
    const child = spawn(command, ['--version'], {stdio: 'ignore'})
    child.on('error', () => resolve(false))
    child.on('exit', (code) => resolve(code === 0))
  })
  if (!ok) throw new Error(`${command} is needed for this benchmark: ${install}`)
}
