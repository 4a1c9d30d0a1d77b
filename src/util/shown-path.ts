/**
 * A path as the CLI prints it in text and the web pages show it. A name may hold characters a terminal acts on
 * (C0 and C1 controls, DEL: an escape sequence can retitle the window or worse) or that reorder the text around
 * them (bidirectional formatting: "invoice\u202Efdp.exe" reads as "invoiceexe.pdf"). Such a path is shown quoted,
 * those characters as escapes (`"new\nline.cook"`), as git quotes names; any other path as it is. `--json` and
 * the pages' APIs keep the path itself. Another writer can commit DEL, C1 and bidirectional characters (the
 * protocol refuses only C0 controls).
 */
export function shownPath(path: string): string {
  // Everything it needs is inside it: the pages' scripts get this function's own text (SHOWN_PATH_SCRIPT).
  const unshowable = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g
  if (path.search(unshowable) < 0) return path
  const named: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t'}
  const escaped = path.replace(/["\\]/g, (c) => `\\${c}`).replace(unshowable, (c) => named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return `"${escaped}"`
}

/** `shownPath` for a page's inline script, as the function the server runs (compiled: plain JavaScript). */
export const SHOWN_PATH_SCRIPT = `const shownPath = ${String(shownPath)}\n`
