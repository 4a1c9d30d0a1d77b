/**
 * playwright-core driving Debian's chromium, for the web pages' browser tests (the server's status page, the
 * daemon's page). The package is optional, so what the tests use of it is typed here. `browserTestFor` skips,
 * saying why, when playwright-core or chromium is not installed (.ci/run installs chromium);
 * SYNC_TEST_NODE_PATH=DIR/node_modules finds playwright-core outside the project.
 */
import {existsSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import test, {type ExecutionContext} from 'ava'

export interface Locator {
  waitFor(options?: {timeout?: number; state?: 'attached' | 'detached' | 'visible' | 'hidden'}): Promise<void>
  innerText(): Promise<string>
  isHidden(): Promise<boolean>
  count(): Promise<number>
  click(): Promise<void>
  first(): Locator
  nth(index: number): Locator
  locator(selector: string, options?: {hasText?: string}): Locator
  getByText(text: string, options?: {exact?: boolean}): Locator
}
export interface Download {
  suggestedFilename(): string
  path(): Promise<string | null>
}
export interface Page {
  on(event: 'request', listener: (request: {url(): string}) => void): void
  on(event: 'pageerror', listener: (error: Error) => void): void
  on(event: 'console', listener: (message: {type(): string; text(): string}) => void): void
  goto(url: string): Promise<unknown>
  url(): string
  reload(): Promise<unknown>
  fill(selector: string, value: string): Promise<void>
  click(selector: string): Promise<void>
  locator(selector: string, options?: {hasText?: string}): Locator
  evaluate<T>(work: () => T): Promise<T>
  title(): Promise<string>
  screenshot(options: {path: string; fullPage?: boolean}): Promise<unknown>
  waitForEvent(event: 'download'): Promise<Download>
}
interface Playwright {
  chromium: {
    launch(options: {executablePath: string; args: string[]}): Promise<{
      newPage(options: {viewport: {width: number; height: number}; acceptDownloads: boolean}): Promise<Page>
      close(): Promise<void>
    }>
  }
}

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'

function loadPlaywright(): Playwright | undefined {
  const places = [import.meta.url, ...(process.env.SYNC_TEST_NODE_PATH ? [path.join(process.env.SYNC_TEST_NODE_PATH, 'x.js')] : [])]
  for (const place of places) {
    try {
      return createRequire(place)('playwright-core') as Playwright
    } catch {
      // not here
    }
  }
  return undefined
}

const playwright = loadPlaywright()
const missing = !playwright
  ? 'playwright-core is not installed (a devDependency)'
  : !existsSync(CHROMIUM)
    ? `no chromium at ${CHROMIUM} (apt-get install chromium)`
    : undefined

/** A serial test when the browser is there; else a skipped one, and a passing test that logs why (`name`). */
export function browserTestFor(name: string): typeof test.serial {
  if (missing) test(`${name}: skipped`, (t) => t.log(`skipped: ${missing}`) ?? t.pass())
  return missing ? (test.skip as unknown as typeof test.serial) : test.serial
}

/** A headless Chromium page (closed when the test ends) and the page errors it met, which a test expects none of. */
export async function openPage(t: ExecutionContext, viewport = {width: 1200, height: 900}): Promise<{page: Page; problems: string[]}> {
  const browser = await playwright!.chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  })
  t.teardown(() => browser.close())
  const page = await browser.newPage({viewport, acceptDownloads: true})
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()))
  return {page, problems}
}
