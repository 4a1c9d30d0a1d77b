/**
 * A command's description as oclif should show it: source lines wrapped for the editor are joined, so that oclif
 * wraps each paragraph once to the terminal (its own wrap of a pre-wrapped line left every other line a stub).
 * Paragraphs (a blank line between) stay apart. A line that starts with "- " or is indented (a list item, a row of
 * a table of flags) stays a line of its own, and a line indented past the start of its text continues it.
 */
export function prose(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => {
      const lines: string[] = []
      // Where a line must start to continue the last item; undefined after plain text.
      let continuesFrom: number | undefined
      for (const line of paragraph.split('\n')) {
        const indent = line.length - line.trimStart().length
        const joins = lines.length > 0 && (continuesFrom === undefined ? indent === 0 && !line.startsWith('- ') : indent >= continuesFrom)
        if (joins) {
          lines[lines.length - 1] += ` ${line.trim()}`
          continue
        }
        lines.push(line.trimEnd())
        continuesFrom = line.startsWith('- ') ? 2 : indent > 0 ? indent + 1 : undefined
      }
      return lines.join('\n')
    })
    .join('\n\n')
}
