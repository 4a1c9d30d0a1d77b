/** Waits for a condition with a bound (generous: CI shares two cores with subprocesses): tests never sleep to synchronise. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

export async function fileIs(path: string, content: string): Promise<boolean> {
  const {readFile} = await import('node:fs/promises')
  return readFile(path, 'utf8').then(
    (text) => text === content,
    () => false,
  )
}
