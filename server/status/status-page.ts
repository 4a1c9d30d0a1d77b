/**
 * The status page, `GET /status`: one HTML document with its style and script inline, no build step. The page holds
 * no data: its script asks for a token (kept in sessionStorage, sent as `Authorization: Bearer`, never in a URL),
 * then reads the JSON routes (server/routes/status.ts, devices.ts, log) and polls them every few seconds. Every
 * string from the server is set as text (`textContent`), never as HTML: paths are whatever a device committed.
 * The Content-Security-Policy allows this script and style alone (by their hashes) and requests to this server.
 */
import {inlinePage, SCRIPT_HELPERS} from '#src/util/inline-page.js'

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; margin: 0 0 .5em; } h2 { font-size: 1.1em; margin: 1.5em 0 .4em; }
table { border-collapse: collapse; } th, td { text-align: left; padding: .2em .8em .2em 0; border-bottom: 1px solid #ddd; vertical-align: top; }
th { font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #777; } .error { color: #b00; } button.link { background: none; border: none; padding: 0; color: #0645ad; cursor: pointer; font: inherit; text-align: left; }
#bar { display: flex; gap: 1em; align-items: baseline; } [hidden] { display: none !important; }
`

const SCRIPT = `
'use strict'
const KEY = 'sync-status-token'
const POLL_MS = 3000
let token = sessionStorage.getItem(KEY)
let who = null
let head = -1
let openPath = null
let timer = null
${SCRIPT_HELPERS}
function table(target, headers, rows, empty) {
  if (rows.length === 0) return target.replaceChildren(el('p', empty, {class: 'muted'}))
  const t = el('table')
  const top = t.createTHead().insertRow()
  for (const name of headers) top.appendChild(el('th', name))
  const body = t.createTBody()
  for (const row of rows) {
    const tr = body.insertRow()
    for (const cell of row) {
      const td = tr.insertCell()
      if (cell instanceof Node) td.appendChild(cell)
      else if (typeof cell === 'number') { td.textContent = String(cell); td.className = 'num' }
      else td.textContent = cell === undefined || cell === null ? '' : String(cell)
    }
  }
  target.replaceChildren(t)
}
const when = (time) => (time === undefined || time === null ? '' : new Date(time).toISOString().replace('T', ' ').replace(/\\.\\d+Z$/, ' UTC'))
function size(bytes) {
  if (bytes === undefined || bytes === null) return ''
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let n = bytes, unit = 0
  while (n >= 1000 && unit < units.length - 1) { n /= 1000; unit++ }
  return (unit === 0 ? String(n) : n.toFixed(1)) + ' ' + units[unit]
}

async function api(path) {
  const res = await fetch(path, {headers: {Authorization: 'Bearer ' + token}, cache: 'no-store'})
  if (res.status === 401) { signOut('That token is unknown or revoked.'); throw new Error('unauthorized') }
  if (!res.ok) {
    let message = res.status + ' ' + res.statusText
    try { message = (await res.json()).error.message } catch (_) {}
    throw new Error(message)
  }
  return res
}
const json = async (path) => (await api(path)).json()
const nsPath = (rest) => '/v1/ns/' + encodeURIComponent(who.namespace) + rest

function showNamespaces(list) {
  table($('namespaces'), ['namespace', 'head JID', 'entries', 'packs', 'storage', 'quota'],
    list.map((ns) => [ns.namespace, ns.head, ns.entries, ns.packs, size(ns.bytes), ns.quota === null ? 'none' : size(ns.quota)]), 'No namespaces yet.')
}
function showDevices(list) {
  table($('devices'), ['namespace', 'token', 'device', 'client', 'last seen', 'cursor', 'lag', 'last error'],
    list.map((d) => [d.namespace, d.token, d.device, d.agent, when(d.lastSeen), d.cursor, d.lag,
      d.lastError ? when(d.lastError.time) + ' ' + d.lastError.status + ' ' + d.lastError.code + ': ' + d.lastError.message : '']),
    'No device has synced yet.')
}
function change(entry) {
  if (entry.pruned) return entry.kind + ' (pruned)'
  if (entry.from !== undefined) return 'moved from ' + entry.from
  if (entry.kind === 'symlink') return 'symlink to ' + entry.target
  return entry.kind
}
function pathButton(path) {
  const button = el('button', shownPath(path), {class: 'link', type: 'button', title: 'history of this file'})
  button.addEventListener('click', () => { openPath = path; void showHistory() })
  return button
}
function showRecent(entries) {
  table($('recent'), ['JID', 'time', 'path', 'change', 'device', 'size'],
    entries.map((e) => [e.jid, when(e.time), pathButton(e.path), change(e), e.device, e.kind === 'file' ? size(e.size) : '']), 'No changes yet.')
}
async function download(entry) {
  try {
    const blob = await (await api(nsPath('/entries/' + entry.jid + '/content'))).blob()
    const url = URL.createObjectURL(blob)
    const link = el('a', null, {href: url, download: entry.path.slice(entry.path.lastIndexOf('/') + 1)})
    document.body.appendChild(link)
    link.click()
    link.remove()
    setTimeout(() => URL.revokeObjectURL(url), 10000)
  } catch (error) { say('Download failed: ' + error.message, true) }
}
async function showHistory() {
  if (openPath === null) return
  const path = openPath
  const answer = await json(nsPath('/log?limit=100&path=' + encodeURIComponent(path)))
  if (path !== openPath) return
  $('history-section').hidden = false
  $('history-path').textContent = shownPath(path)
  table($('history'), ['JID', 'time', 'change', 'device', 'size', ''],
    answer.entries.map((e) => {
      const here = e.kind === 'file' && !e.pruned && e.path === path
      let button = ''
      if (here) {
        button = el('button', 'download', {type: 'button', 'data-jid': String(e.jid)})
        button.addEventListener('click', () => void download(e))
      }
      return [e.jid, when(e.time), e.path === path ? change(e) : 'moved to ' + shownPath(e.path), e.device, here ? size(e.size) : '', button]
    }), 'No history.')
}

async function refresh() {
  try {
    if (who.rights === 'admin') {
      const [namespaces, devices] = await Promise.all([json('/v1/admin/namespaces'), json('/v1/admin/devices')])
      showNamespaces(namespaces.namespaces)
      showDevices(devices.devices)
    } else {
      const [summary, devices] = await Promise.all([json(nsPath('/summary')), json(nsPath('/devices'))])
      showNamespaces([summary])
      showDevices(devices.devices)
      if (summary.head !== head) {
        head = summary.head
        showRecent((await json(nsPath('/recent?limit=50'))).entries)
        await showHistory()
      }
    }
    say('Updated ' + when(Date.now()) + '; updates every ' + POLL_MS / 1000 + ' s.')
  } catch (error) {
    if (token) say('Cannot read the server: ' + error.message, true)
  }
}

async function start() {
  try {
    who = await json('/v1/whoami')
  } catch (error) {
    if (token) signOut('Cannot sign in: ' + error.message)
    return
  }
  $('login').hidden = true
  $('view').hidden = false
  $('whoami').textContent = who.rights === 'admin' ? 'admin token ' + who.name : who.name + ' (' + who.rights + ') of namespace ' + who.namespace
  $('recent-section').hidden = who.rights === 'admin'
  head = -1
  await refresh()
  timer = setInterval(refresh, POLL_MS)
}
function signOut(message) {
  sessionStorage.removeItem(KEY)
  token = null
  who = null
  openPath = null
  clearInterval(timer)
  $('view').hidden = true
  $('history-section').hidden = true
  $('login').hidden = false
  say(message || '', Boolean(message))
}

$('login').addEventListener('submit', (event) => {
  event.preventDefault()
  token = $('token').value.trim()
  $('token').value = ''
  sessionStorage.setItem(KEY, token)
  void start()
})
$('signout').addEventListener('click', () => signOut())
if (token) void start()
`

const BODY = `<div id="bar"><h1>sync status</h1><span id="whoami" class="muted"></span></div>
<p id="message" class="muted"></p>
<form id="login" autocomplete="off">
<label>Token <input id="token" type="password" size="50" required></label>
<button type="submit">Sign in</button>
<p class="muted">An admin token (sync-server token create --admin) shows every namespace and device; a namespace's
token shows that namespace, its devices, recent changes and each file's history. The token stays in this tab
(sessionStorage) and goes only to this server, in a header.</p>
</form>
<main id="view" hidden>
<button id="signout" type="button">Sign out</button>
<h2>Namespaces</h2><div id="namespaces"></div>
<h2>Devices</h2><div id="devices"></div>
<section id="recent-section"><h2>Recent changes</h2><div id="recent"></div></section>
<section id="history-section" hidden><h2>History of <span id="history-path"></span></h2><div id="history"></div></section>
</main>`

export const STATUS_PAGE = inlinePage({title: 'sync status', style: STYLE, body: BODY, script: SCRIPT})
