/**
 * The daemon's web page, `GET /`: one HTML document with its style and script inline, no build step (as the
 * server's status page, server/status/status-page.ts). The script reads /api/state every second and shows it;
 * each conflict copy gets its diff (/api/conflict) and three buttons that POST /api/settle. Every string from the
 * folder is set as text (`textContent`), never as HTML: file names are whatever a device synced. The
 * Content-Security-Policy allows this script and style alone (by their hashes) and requests to this page's origin.
 */
import {inlinePage, SCRIPT_HELPERS} from '../util/inline-page.js'
import {WINDOW_PHRASE_SCRIPT} from '../sync/describe-holds.js'
import {CONFLICTS_SHOWN} from './ui-state.js'

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; max-width: 80em; }
h1 { font-size: 1.4em; margin: 0; } h2 { font-size: 1.1em; margin: 1.5em 0 .4em; } h3 { font-size: 1em; margin: .2em 0; }
#bar { display: flex; gap: 1em; align-items: center; flex-wrap: wrap; }
#summary { font-weight: 600; padding: .2em .7em; border-radius: 1em; background: #ddd; }
#summary.synced { background: #cfc; } #summary.syncing { background: #cdf; } #summary.paused { background: #eee; }
#summary.offline, #summary.held { background: #fdc; }
.muted { color: #777; } .error { color: #b00; } [hidden] { display: none !important; }
ul { margin: .2em 0; padding-left: 1.4em; } li { margin: .1em 0; }
.conflict { border: 1px solid #ccc; border-radius: 6px; padding: .6em .8em; margin: .6em 0; }
.diff { border-collapse: collapse; width: 100%; table-layout: fixed; font: 12px/1.35 ui-monospace, monospace; margin: .5em 0; }
.diff th { text-align: left; font: 600 12px system-ui, sans-serif; padding: .2em .4em; background: #f3f3f3; }
.diff td { white-space: pre-wrap; word-break: break-all; padding: 0 .4em; vertical-align: top; }
.diff tr.changed td.theirs { background: #fee; } .diff tr.changed td.mine { background: #efe; }
.actions { display: flex; gap: .6em; align-items: center; flex-wrap: wrap; }
#activity li { font-family: ui-monospace, monospace; font-size: 12px; }
`

const SCRIPT = `
'use strict'
const POLL_MS = 1000
const CONFLICTS_SHOWN = ${CONFLICTS_SHOWN}
const WORDS = {synced: 'Synced', syncing: 'Syncing', paused: 'Paused', offline: 'Offline', held: 'Deletions held'}
let conflictsShown = ''
let busy = false
${SCRIPT_HELPERS}
${WINDOW_PHRASE_SCRIPT}
const when = (time) => new Date(time).toISOString().replace('T', ' ').replace(/\\.\\d+Z$/, ' UTC')
function list(target, items, empty) {
  if (items.length === 0) return target.replaceChildren(el('p', empty, {class: 'muted'}))
  const ul = el('ul')
  for (const item of items.slice(0, 200)) ul.appendChild(el('li', item))
  if (items.length > 200) ul.appendChild(el('li', '... and ' + (items.length - 200) + ' more', {class: 'muted'}))
  target.replaceChildren(ul)
}

async function call(method, path, body) {
  const res = await fetch(path, {
    method,
    cache: 'no-store',
    headers: body === undefined ? {} : {'Content-Type': 'application/json'},
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  let answer = null
  try { answer = JSON.parse(text) } catch (_) {}
  if (!res.ok) throw new Error(answer && answer.error ? answer.error.message : res.status + ' ' + text.trim())
  return answer
}

function doing(daemon) {
  if (!daemon) return 'the daemon is not running'
  const n = (k) => (k === 1 ? '1 file' : (k || 0) + ' files')
  switch (daemon.state) {
    case 'scanning': return daemon.total === undefined ? 'scanning the folder' : 'scanning the folder (' + (daemon.done || 0) + ' of ' + n(daemon.total) + ')'
    case 'receiving': return 'receiving ' + n(daemon.total)
    case 'sending': return 'sending ' + n(daemon.total)
    case 'offline': return 'waiting for the server to answer'
    case 'paused': return 'paused'
    default: return 'idle'
  }
}

function side(s) {
  if (s.size === undefined) return 'not in the folder now'
  if (s.kind === 'symlink') return 'a symlink'
  if (s.kind === 'too-large') return s.size + ' bytes (too large to show here)'
  if (s.kind === 'binary') return 'binary, ' + s.size + ' bytes'
  return null
}

async function showConflict(box, c) {
  const view = await call('GET', '/api/conflict?copy=' + encodeURIComponent(c.copy))
  const table = el('table', null, {class: 'diff'})
  const head = table.createTHead().insertRow()
  head.appendChild(el('th', 'theirs: ' + shownPath(c.path) + ' (the file now)'))
  head.appendChild(el('th', 'mine: ' + shownPath(c.copy) + ' (' + c.device + "'s version)"))
  const body = table.createTBody()
  if (view.rows) {
    for (const row of view.rows) {
      const tr = body.insertRow()
      tr.className = row.same ? 'same' : 'changed'
      tr.appendChild(el('td', row.theirs === undefined ? '' : row.theirs, {class: 'theirs'}))
      tr.appendChild(el('td', row.mine === undefined ? '' : row.mine, {class: 'mine'}))
    }
  } else {
    const tr = body.insertRow()
    tr.appendChild(el('td', side(view.theirs) || 'text', {class: 'theirs'}))
    tr.appendChild(el('td', side(view.mine) || 'text', {class: 'mine'}))
  }
  box.querySelector('.diff-place').replaceChildren(table)
}

function conflictBox(c) {
  const box = el('div', null, {class: 'conflict', 'data-copy': c.copy})
  box.appendChild(el('h3', shownPath(c.path)))
  box.appendChild(el('p', 'Both devices changed the same lines. ' + c.device + "'s version was kept as " + shownPath(c.copy) + ' on ' + when(c.time) + '.', {class: 'muted'}))
  box.appendChild(el('div', 'loading the diff...', {class: 'diff-place muted'}))
  const actions = el('div', null, {class: 'actions'})
  const labels = {mine: 'Keep mine', theirs: 'Keep theirs', both: 'Keep both'}
  for (const keep of ['mine', 'theirs', 'both']) {
    const button = el('button', labels[keep], {type: 'button', 'data-keep': keep})
    button.addEventListener('click', () => void settle(c, keep))
    actions.appendChild(button)
  }
  actions.appendChild(el('span', 'Keep mine: the copy takes the file\\'s place. Keep theirs: the copy goes. Keep both: the copy gets an ordinary name. The version dropped stays in the history (sync log, sync restore).', {class: 'muted'}))
  box.appendChild(actions)
  showConflict(box, c).catch((error) => box.querySelector('.diff-place').replaceChildren(el('p', 'Cannot show the diff: ' + error.message, {class: 'error'})))
  return box
}

async function settle(c, keep) {
  if (busy) return
  busy = true
  for (const b of document.querySelectorAll('.conflict button')) b.disabled = true
  say('Settling ' + shownPath(c.path) + '...')
  try {
    const done = await call('POST', '/api/settle', {copy: c.copy, keep})
    let text = keep === 'both' ? 'Kept both: ' + shownPath(c.copy) + ' is now ' + shownPath(done.renamedTo) + '.' : 'Kept ' + keep + ' for ' + shownPath(c.path) + '.'
    if (done.dropped) text += ' The version dropped is in the history: sync restore "' + done.dropped.path + '" --jid ' + done.dropped.jid
    say(text)
  } catch (error) {
    say('Could not settle ' + shownPath(c.path) + ': ' + error.message, true)
  } finally {
    busy = false
    conflictsShown = ''
    await refresh()
  }
}

function showConflicts(conflicts) {
  // Shown again when either side of one changes (its stamp): a diff read between the copy's write and the other
  // version's showed the copy against itself.
  const key = JSON.stringify(conflicts.map((c) => [c.copy, c.stamp]))
  if (key === conflictsShown) return
  conflictsShown = key
  $('conflict-count').textContent = String(conflicts.length)
  if (conflicts.length === 0) return $('conflicts').replaceChildren(el('p', 'No conflicts.', {class: 'muted'}))
  $('conflicts').replaceChildren(...conflicts.slice(0, CONFLICTS_SHOWN).map(conflictBox))
}

function show(state) {
  $('summary').textContent = WORDS[state.summary] || state.summary
  $('summary').className = state.summary
  $('folder').textContent = state.folder + ' (device ' + state.device + '; server ' + state.server.url + ', namespace ' + state.server.namespace + ')'
  $('doing').textContent = state.pausedSince !== undefined ? 'paused since ' + when(state.pausedSince) + ': nothing syncs until resumed' : doing(state.daemon)
  $('pause').hidden = state.pausedSince !== undefined
  $('resume').hidden = state.pausedSince === undefined
  list($('to-send'), state.pendingUploads.map((u) => u.change + ' ' + shownPath(u.path)), 'Nothing to send.')
  list($('to-receive'), state.pendingDownloads.map(shownPath), 'Nothing to receive.')
  $('held-section').hidden = state.held.length === 0
  list($('held'), state.held.map((h) => h.count + ' deletion' + (h.count === 1 ? '' : 's') + ' from ' + (h.from || 'this device') +
    (h.why === 'folder-empty' ? ' (the folder looks empty: is a disk unmounted?)' : ' (more in a short time than the delete guard allows' + (h.lately ? ', ' + windowPhrase(h.lately) : '') + ')') +
    ": 'sync approve-deletes' lets them through, 'sync restore --held' brings the files back"), '')
  $('blocked-section').hidden = state.blocked.length === 0
  list($('blocked'), state.blocked.map((b) => shownPath(b.path) + ': ' + b.reason), '')
  $('last-error').textContent = state.lastError ? 'Last error: ' + state.lastError.message + ' (' + when(state.lastError.time) + ')' : ''
  showConflicts(state.conflicts)
  const lines = state.activity.slice().reverse()
  if (lines.length === 0) $('activity').replaceChildren(el('p', 'Nothing yet.', {class: 'muted'}))
  else {
    const ul = el('ul')
    for (const line of lines) ul.appendChild(el('li', when(line.time) + ' ' + line.text, line.level === 'info' ? {} : {class: 'error'}))
    $('activity').replaceChildren(ul)
  }
}

async function refresh() {
  try {
    show(await call('GET', '/api/state'))
    $('updated').textContent = 'Updated ' + when(Date.now())
  } catch (error) {
    $('updated').textContent = 'Cannot reach the daemon: ' + error.message
  }
}

async function switchPause(pause) {
  try {
    await call('POST', pause ? '/api/pause' : '/api/resume')
    say(pause ? 'Paused: the daemon keeps watching and syncs nothing until resumed.' : 'Resumed.')
  } catch (error) {
    say(error.message, true)
  }
  await refresh()
}
$('pause').addEventListener('click', () => void switchPause(true))
$('resume').addEventListener('click', () => void switchPause(false))
void refresh()
setInterval(refresh, POLL_MS)
`

const BODY = `<div id="bar"><h1>sync</h1><span id="summary">...</span><button id="pause" type="button" hidden>Pause</button><button id="resume" type="button" hidden>Resume</button></div>
<p id="folder" class="muted"></p>
<p><span id="doing"></span> <span id="updated" class="muted"></span></p>
<p id="message" class="muted"></p>
<p id="last-error" class="error"></p>
<h2>Conflicts (<span id="conflict-count">0</span>)</h2><div id="conflicts"></div>
<section id="held-section" hidden><h2>Held deletions</h2><div id="held"></div></section>
<h2>To send</h2><div id="to-send"></div>
<h2>To receive</h2><div id="to-receive"></div>
<section id="blocked-section" hidden><h2>Cannot sync</h2><div id="blocked"></div></section>
<h2>Recent activity</h2><div id="activity"></div>`

export const UI_PAGE = inlinePage({title: 'sync daemon', style: STYLE, body: BODY, script: SCRIPT})
