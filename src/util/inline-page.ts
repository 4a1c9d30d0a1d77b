/**
 * A web page that is one document, its style and script inline (no build step, no other file): the server's
 * status page and the daemon's page. Its Content-Security-Policy allows that style and script alone (by their
 * hashes) and requests to the page's own origin, nothing else: no framing, no forms, no images.
 */
import {createHash} from 'node:crypto'
import {SHOWN_PATH_SCRIPT} from './shown-path.js'

export interface InlinePage {
  html: string
  csp: string
}

/**
 * What both pages' scripts start with: `$` by id, `el` making an element with text (never HTML), `say` in
 * #message, `shownPath` for a file's name (quoted and escaped when it holds controls or bidirectional formatting).
 */
export const SCRIPT_HELPERS = `${SHOWN_PATH_SCRIPT}
const $ = (id) => document.getElementById(id)
function el(tag, text, attrs) {
  const node = document.createElement(tag)
  if (text !== undefined && text !== null) node.textContent = String(text)
  for (const name in attrs || {}) node.setAttribute(name, attrs[name])
  return node
}
function say(text, isError) {
  const box = $('message')
  box.textContent = text || ''
  box.className = isError ? 'error' : 'muted'
}
`

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

export function inlinePage(parts: {title: string; style: string; body: string; script: string}): InlinePage {
  const {title, style, body, script} = parts
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${style}</style>
</head>
<body>
${body}
<script>${script}</script>
</body>
</html>
`
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    "connect-src 'self'",
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
  return {html, csp}
}
