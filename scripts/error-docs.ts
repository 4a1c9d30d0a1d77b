/** `npm run docs:errors`: writes README's exit-code paragraph and docs/errors.md from the error registry. */
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {errorsMarkdown, withReadmeExitCodes} from '#src/errors/error-docs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const readme = path.join(root, 'README.md')
await writeFile(readme, withReadmeExitCodes(await readFile(readme, 'utf8')))
await writeFile(path.join(root, 'docs', 'errors.md'), errorsMarkdown())
