/** Waits for a condition to hold, checking on every turn of the event loop, failing after two seconds. */
export async function waitFor(condition: () => boolean): Promise<void> {
  const until = Date.now() + 2000
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not reached within 2 s')
    await new Promise((resolve) => setImmediate(resolve))
  }
}
