/**
 * Starts a worker thread whose entry is the module `name` beside the caller (`callerUrl`: its import.meta.url).
 * Built code runs `name.js`. Run from the TypeScript sources (bin/dev.js, under tsx), the entry is `name.ts`, and
 * node 20 does not hand tsx's loader on to workers, so the worker registers it before importing the entry.
 */
import {Worker, type WorkerOptions} from 'node:worker_threads'

export function startWorker(callerUrl: string, name: string, options: WorkerOptions): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options)
  const entry = JSON.stringify(new URL(`./${name}.ts`, callerUrl).href)
  const source = `import('tsx/esm/api').then(({register}) => { register(); return import(${entry}) })`
  return new Worker(source, {...options, eval: true})
}
