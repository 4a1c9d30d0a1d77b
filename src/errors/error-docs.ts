/**
 * The docs the error registry is the source of: README's exit-code paragraph (between its markers) and
 * docs/errors.md. `npm run docs:errors` writes them; test/errors/registry.test.ts checks they are current.
 */
import {ERROR_CODES, EXIT_MEANINGS} from './registry.js'

export const README_START = '<!-- exit codes: generated from src/errors/registry.ts by npm run docs:errors -->'
export const README_END = '<!-- end of exit codes -->'

/** The exit codes as README lists them, wrapped at 112 columns. */
export function readmeExitCodes(): string {
  const items = Object.entries(EXIT_MEANINGS).map(([code, meaning]) => `${code} ${meaning}`)
  const words = `Exit codes (both commands; \`src/errors/registry.ts\`): ${items.join(', ')}.`.split(' ')
  const lines: string[] = []
  let line = ''
  for (const word of words) {
    if (line && line.length + 1 + word.length > 112) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  lines.push(line)
  return [README_START, ...lines, README_END].join('\n')
}

/** README with its exit-code paragraph replaced by the generated one. */
export function withReadmeExitCodes(readme: string): string {
  const start = readme.indexOf(README_START)
  const end = readme.indexOf(README_END)
  if (start === -1 || end === -1) throw new Error(`README has no exit-code markers (${README_START})`)
  return readme.slice(0, start) + readmeExitCodes() + readme.slice(end + README_END.length)
}

export function errorsMarkdown(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, {status, exit, meaning}]) => `| \`${code}\` | ${status} | ${exit} | ${meaning} |`)
  return `# Error codes

Generated from \`src/errors/registry.ts\` by \`npm run docs:errors\`; a test checks it is current. Every error sync
throws on purpose has one of these codes: the server answers \`{"error": {"code", "message", "data"}}\` with the
status, and \`sync\` and \`sync-server\` exit with the exit code (with \`--json\`, the same object on stdout).
A status of 500 is a code the server never answers with on purpose (it is met on a device, or is a bug).

| code | HTTP status | exit code | meaning |
|---|---|---|---|
${rows.join('\n')}
`
}
