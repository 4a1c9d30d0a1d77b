/**
 * The status page end to end in headless Chromium (playwright-core driving Debian's chromium): sign in with a
 * token (kept in sessionStorage, sent as a header, never in a URL), an admin's namespaces and devices, a namespace
 * token's recent changes with a hostile path shown as text, a file's history and a download of an old version and
 * of a tree, live updates. Skipped, saying why, when playwright-core or chromium is not installed (.ci/run installs
 * chromium; test/helpers/playwright.ts). SYNC_STATUS_SCREENSHOT=FILE keeps a screenshot (docs/status-page.png).
 */
import {readFile} from 'node:fs/promises'
import {browserTestFor, openPage} from '../../helpers/playwright.js'
import {listen, testServer} from '../support/test-server.js'
import {version} from '../support/versions.js'
import {HOSTILE, statusFixture} from './status-fixture.js'

const browserTest = browserTestFor('status page in Chromium')

browserTest('status page: sign in, namespaces and devices, recent changes as text, history, downloads, live updates', async (t) => {
  const server = await testServer(t)
  const url = await listen(t, server)
  const f = await statusFixture(t, server)
  await f.api.get('/v1/ns/home/changes?since=5').set('User-Agent', 'sync/0.1.0').expect(200)
  const admin = (await server.storage.tokens.create({rights: 'admin'}, 'ops')).token
  const reader = (await server.storage.tokens.create({rights: 'read-only', namespace: 'home'}, 'kitchen')).token
  await server.storage.settings.setQuota('home', 5 * 1000 ** 3)

  const {page, problems} = await openPage(t)
  const urls: string[] = []
  page.on('request', (request) => urls.push(request.url()))

  const signIn = async (token: string) => {
    await page.fill('#token', token)
    await page.click('button[type=submit]')
  }
  await page.goto(`${url}/status`)
  await signIn(admin)
  await page.locator('#namespaces td', {hasText: 'home'}).waitFor()
  t.regex(await page.locator('#whoami').innerText(), /admin token ops/)
  t.regex(await page.locator('#namespaces').innerText(), /^home\t.*\t5\.0 GB$/m, 'its quota')
  t.regex(await page.locator('#devices').innerText(), /laptop[\s\S]*sync\/0\.1\.0[\s\S]*\b5\b[\s\S]*\b1\b/, 'cursor 5, lag 1')
  t.true(await page.locator('#recent-section').isHidden(), "an admin reads no namespace's changes")
  t.is(await page.evaluate(() => sessionStorage.getItem('sync-status-token')), admin)

  await page.click('#signout')
  t.is(await page.evaluate(() => sessionStorage.getItem('sync-status-token')), null)
  await signIn(reader)
  await page.locator('#recent td', {hasText: 'notes/big.txt'}).waitFor()
  // The hostile path is text: no element made of it, no script run.
  t.is(await page.locator('#recent').getByText(HOSTILE, {exact: true}).count(), 1)
  t.is(await page.locator('img').count(), 0)
  t.not(await page.title(), 'pwned')
  // Reload: the token is still in this tab.
  await page.reload()
  await page.locator('#recent td', {hasText: 'Risotto.cook'}).first().waitFor()
  if (process.env.SYNC_STATUS_SCREENSHOT) await page.screenshot({path: process.env.SYNC_STATUS_SCREENSHOT, fullPage: true})

  await page.locator('#recent button', {hasText: 'Risotto.cook'}).first().click()
  await page.locator('#history button[data-jid="1"]').waitFor()
  t.is(await page.locator('#history-path').innerText(), 'Risotto.cook')
  const saved = async (jid: number) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#history button[data-jid="${jid}"]`)])
    t.is(download.suggestedFilename(), jid === f.bigJid ? 'big.txt' : 'Risotto.cook')
    return readFile((await download.path())!)
  }
  t.deepEqual(await saved(1), f.bytes.first, 'the old version, not the head')
  await page.locator('#recent button', {hasText: 'notes/big.txt'}).click()
  await page.locator(`#history button[data-jid="${f.bigJid}"]`).waitFor()
  t.true((await saved(f.bigJid)).equals(f.bytes.big), 'a tree, assembled')

  // Live: a commit shows up without a reload.
  const fresh = version('new\n')
  await f.commit([{path: 'Fresh <b>.cook', base: null, manifest: fresh.manifest}], fresh.inline)
  await page.locator('#recent td', {hasText: 'Fresh <b>.cook'}).waitFor({timeout: 15_000})

  t.false(
    urls.some((u) => u.includes(reader) || u.includes(admin)),
    'no token in any URL',
  )
  t.deepEqual(problems, [])
})
