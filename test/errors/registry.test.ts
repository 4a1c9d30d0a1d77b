/** The error registry is whole, and the docs say what it says. */
import {readdir, readFile} from 'node:fs/promises'
import test from 'ava'
import * as errors from '#src/errors/index.js'
import {errorsMarkdown, withReadmeExitCodes} from '#src/errors/error-docs.js'
import {ERROR_CODES, EXIT, EXIT_MEANINGS, SyncError} from '#src/errors/index.js'

/** Codes the server sends that no class of ours throws. */
const WIRE_ONLY = new Set(['E_INTERNAL'])

const classes = Object.values(errors).filter(
  (value): value is typeof SyncError & {code: string} => typeof value === 'function' && value.prototype instanceof SyncError,
)

test('every error class names its code statically, and the code is in the registry with a status and an exit code', async (t) => {
  // Every class file of src/errors is exported by its index (so this test sees them all).
  const files = (await readdir('src/errors')).filter((file) => file.endsWith('-error.ts') && file !== 'sync-error.ts')
  t.is(classes.length, files.length)
  for (const ErrorClass of classes) {
    t.is(typeof ErrorClass.code, 'string', `${ErrorClass.name} has a static code`)
    t.true(ErrorClass.code in ERROR_CODES, `${ErrorClass.name}'s ${ErrorClass.code} is in src/errors/registry.ts`)
  }
  const thrown = new Set(classes.map((ErrorClass) => ErrorClass.code))
  for (const [code, {status, exit}] of Object.entries(ERROR_CODES)) {
    t.true(thrown.has(code) || WIRE_ONLY.has(code), `${code} is thrown by a class (or is a wire-only code)`)
    t.true(status >= 400 && status < 600)
    t.true(Object.values(EXIT).includes(exit as never), `${code}'s exit ${exit} is one of EXIT`)
    t.truthy(EXIT_MEANINGS[exit], `exit ${exit} has a meaning for the docs`)
  }
})

test('README and docs/errors.md say what the registry says (npm run docs:errors writes them)', async (t) => {
  const readme = await readFile('README.md', 'utf8')
  t.is(readme, withReadmeExitCodes(readme), 'README exit codes are current: run npm run docs:errors')
  t.is(await readFile('docs/errors.md', 'utf8'), errorsMarkdown(), 'docs/errors.md is current: run npm run docs:errors')
})
