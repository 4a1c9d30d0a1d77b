/**
 * The daemon's page end to end in headless Chromium (test/helpers/playwright.ts): a `sync daemon --ui` subprocess
 * on device a, device b running `sync once`, a real server. Pause and resume clicked on the page stop and restart
 * the daemon's syncing; a conflict made meanwhile shows with its diff; "Keep theirs" and "Keep both" settle it on
 * disk, and b converges. SYNC_UI_SCREENSHOT=FILE keeps a screenshot of the conflict (docs/images/daemon-ui.png).
 */
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import type {ExecutionContext} from 'ava'
import {runSync, text} from '../helpers/cli.js'
import {cliNamespace} from '../helpers/cli-namespace.js'
import {browserTestFor, openPage, type Page} from '../helpers/playwright.js'
import {readTree} from '../helpers/tree.js'
import {waitFor} from '../helpers/wait-for.js'
import {startUiDaemon} from './support/ui-daemon.js'

const browserTest = browserTestFor("the daemon's page in Chromium")
const LONG = {timeout: 60_000}

const daemonState = async (dir: string) =>
  (JSON.parse(text((await runSync(['status', '--json'], {cwd: dir})).stdout)) as {daemon?: {state: string}}).daemon?.state

async function once(t: ExecutionContext, dir: string): Promise<void> {
  const run = await runSync(['once'], {cwd: dir})
  t.is(run.exitCode, 0, text(run.stderr))
}

/** Two devices with Risotto.cook, a's daemon showing its page in a browser. */
async function setUp(t: ExecutionContext) {
  const {device} = await cliNamespace(t)
  const a = await device('a')
  const b = await device('b')
  await writeFile(path.join(a, 'Risotto.cook'), 'rice\nbutter\nstock\nparmesan\n')
  await once(t, a)
  await once(t, b)
  const ui = await startUiDaemon(t, a)
  // What the daemon said, with a failed wait's message: a wait on the page alone says nothing of why.
  t.teardown(() => {
    if (!t.passed) t.log(`the daemon said:\n${ui.output.text}`)
  })
  const {page, problems} = await openPage(t, {width: 1100, height: 800})
  await page.goto(ui.link)
  t.is(page.url(), ui.url, 'the key left the address bar')
  await page.locator('#summary', {hasText: 'Synced'}).waitFor(LONG)
  return {a, b, page, problems}
}

const COPY = 'Risotto (conflict b 2026-12-06 101500).cook'

/** Pauses a's daemon from the page, edits the same line on both devices (b's sent first), resumes from the page. */
async function makeConflict(t: ExecutionContext, {a, b, page}: {a: string; b: string; page: Page}) {
  await page.click('#pause')
  await page.locator('#summary', {hasText: 'Paused'}).waitFor(LONG)
  await waitFor('the daemon paused', async () => (await daemonState(a)) === 'paused')
  await writeFile(path.join(b, 'Risotto.cook'), 'rice\nbutter\nstock from b\nparmesan\n')
  await once(t, b)
  await writeFile(path.join(a, 'Risotto.cook'), 'rice\nbutter\nstock from a\nparmesan\n')
  await page.locator('#to-send li', {hasText: 'modified Risotto.cook'}).waitFor(LONG)
  await page.click('#resume')
  await page.locator('.conflict tr.changed').first().waitFor(LONG)
  t.not(await daemonState(a), 'paused')
  await page.locator('#summary', {hasText: 'Synced'}).waitFor(LONG)
  const activity = await page.locator('#activity').innerText()
  t.regex(activity, /conflict on Risotto\.cook: your version kept as Risotto \(conflict a /)
  t.notRegex(activity, /key=/, 'the key is not on the page')
}

browserTest('pause and resume from the page; a conflict with its diff; keep theirs; the other device converges', async (t) => {
  const devices = await setUp(t)
  const {a, b, page, problems} = devices
  await makeConflict(t, devices)
  const box = page.locator('.conflict', {hasText: 'Risotto.cook'})
  t.is(await box.locator('tr.changed td.theirs').innerText(), 'stock from b')
  t.is(await box.locator('tr.changed td.mine').innerText(), 'stock from a')
  t.is(await box.locator('tr.same').count(), 3)
  if (process.env.SYNC_UI_SCREENSHOT) await page.screenshot({path: process.env.SYNC_UI_SCREENSHOT, fullPage: true})

  await box.locator('button', {hasText: 'Keep theirs'}).click()
  await page.locator('#message', {hasText: 'Kept theirs for Risotto.cook. The version dropped is in the history: sync restore'}).waitFor(LONG)
  await page
    .locator('.conflict')
    .first()
    .waitFor({state: 'detached', ...LONG})
  t.deepEqual(await readTree(a), {'Risotto.cook': 'rice\nbutter\nstock from b\nparmesan\n'})
  await once(t, b)
  t.deepEqual(await readTree(b), await readTree(a))
  t.deepEqual(problems, [])
})

browserTest('keep both: the copy gets an ordinary name on both devices', async (t) => {
  const devices = await setUp(t)
  const {a, b, page, problems} = devices
  await makeConflict(t, devices)
  await page.locator('.conflict button', {hasText: 'Keep both'}).click()
  await page.locator('#message', {hasText: 'Kept both'}).waitFor(LONG)
  await page.locator('#conflicts', {hasText: 'No conflicts.'}).waitFor(LONG)
  const files = await readTree(a)
  const kept = Object.keys(files).find((name) => /^Risotto \(a \d{4}-\d{2}-\d{2} \d{6}\)\.cook$/.test(name))
  t.truthy(kept, Object.keys(files).join(', '))
  t.deepEqual(files, {'Risotto.cook': 'rice\nbutter\nstock from b\nparmesan\n', [kept!]: 'rice\nbutter\nstock from a\nparmesan\n'})
  await once(t, b)
  t.deepEqual(await readTree(b), files)
  t.deepEqual(problems, [])
})

browserTest("a conflict's diff is shown again when a side changes: one read between the copy's write and the other version's showed no change", async (t) => {
  const {a, page, problems} = await setUp(t)
  await page.click('#pause')
  await page.locator('#summary', {hasText: 'Paused'}).waitFor(LONG)
  // The moment inside a conflict's resolution: the copy written, the file not yet replaced by the other version.
  await writeFile(path.join(a, COPY), 'rice\nbutter\nstock\nparmesan\n')
  const box = page.locator('.conflict', {hasText: 'Risotto.cook'})
  await box.locator('tr.same').nth(3).waitFor(LONG)
  t.is(await box.locator('tr.changed').count(), 0)
  await writeFile(path.join(a, 'Risotto.cook'), 'rice\nbutter\nstock from b\nparmesan\n')
  await box.locator('tr.changed').first().waitFor(LONG)
  t.is(await box.locator('tr.changed td.theirs').innerText(), 'stock from b')
  t.is(await box.locator('tr.changed td.mine').innerText(), 'stock')
  t.deepEqual(problems, [])
})
