/**
 * A path as the CLI prints it in text. A name may hold characters a terminal acts on (C0 and C1 controls, DEL:
 * an escape sequence can retitle the window or worse) or that reorder the text around them (bidirectional
 * formatting: "invoice\u202Efdp.exe" reads as "invoiceexe.pdf"). Such a path is printed quoted, those characters
 * as escapes (`"new\nline.cook"`), as git quotes names; any other path as it is. `--json` keeps the path itself.
 * Another writer can commit DEL, C1 and bidirectional characters (the protocol refuses only C0 controls).
 */
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/
const UNSHOWABLE_ALL = new RegExp(UNSHOWABLE.source, 'g')
const NAMED: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t'}

export function shownPath(path: string): string {
  if (!UNSHOWABLE.test(path)) return path
  const escaped = path.replace(/["\\]/g, (c) => `\\${c}`).replace(UNSHOWABLE_ALL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return `"${escaped}"`
}
