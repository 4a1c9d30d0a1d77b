/** Lists taken from arguments, or one item per line on stdin when there are no arguments and stdin is not a terminal. */
export async function argsOrStdin(args: readonly string[]): Promise<string[]> {
  if (args.length > 0 || process.stdin.isTTY) return [...args]
  const parts: Buffer[] = []
  for await (const part of process.stdin) parts.push(part as Buffer)
  return Buffer.concat(parts)
    .toString('utf8')
    .split(/\s+/)
    .filter((item) => item.length > 0)
}

export async function readStdinBytes(): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const part of process.stdin) parts.push(part as Buffer)
  return Buffer.concat(parts)
}
