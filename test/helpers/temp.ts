/** Temp folders for tests, removed when the test ends; fixtures are copied in, never used in place. */
import {existsSync} from 'node:fs'
import {cp, mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {ExecutionContext} from 'ava'

/** The repository: the tests run compiled from dist/test/, so it is the nearest folder above with a package.json. */
export const repoRoot = nearestPackageRoot(path.dirname(fileURLToPath(import.meta.url)))
export const cookbookFixture = path.join(repoRoot, 'fixtures', 'cookbook')

export async function tempDir(t: ExecutionContext, prefix = 'sync-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  t.teardown(() => rm(dir, {recursive: true, force: true}))
  return dir
}

export async function copyFixture(t: ExecutionContext, fixture = cookbookFixture): Promise<string> {
  const dir = path.join(await tempDir(t), path.basename(fixture))
  await cp(fixture, dir, {recursive: true})
  return dir
}

function nearestPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir
    if (dir === path.dirname(dir)) throw new Error(`no package.json above ${from}`)
  }
}
