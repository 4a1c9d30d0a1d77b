/** How a promise settled, waited for with a bound: a test of "never hangs" fails with a message instead of at ava's timeout. */
export type Outcome<T> = {resolved: T; ms: number} | {rejected: unknown; ms: number}

export async function outcomeWithin<T>(promise: Promise<T>, boundMs: number): Promise<Outcome<T>> {
  const started = Date.now()
  let timer: NodeJS.Timeout | undefined
  const unsettled = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`still unsettled after ${boundMs} ms`)), boundMs)
  })
  try {
    return await Promise.race([
      promise.then(
        (resolved) => ({resolved, ms: Date.now() - started}),
        (rejected: unknown) => ({rejected, ms: Date.now() - started}),
      ),
      unsettled,
    ])
  } finally {
    clearTimeout(timer)
  }
}
