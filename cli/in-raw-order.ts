/**
 * Positional arguments in the order they were typed. oclif (4.14) sorts a non-strict command's argv by each
 * value's first index in the raw arguments, which moves a repeated value (a file's repeated line, as a chunk id)
 * next to its first occurrence and shifts everything between. The parsed values are right, only their order is
 * not: this takes them in the order the raw arguments have them.
 */
export function inRawOrder(raw: readonly string[], parsed: readonly string[]): string[] {
  const left = new Map<string, number>()
  for (const value of parsed) left.set(value, (left.get(value) ?? 0) + 1)
  const ordered: string[] = []
  for (const token of raw) {
    const count = left.get(token)
    if (!count) continue
    ordered.push(token)
    left.set(token, count - 1)
  }
  return ordered
}
