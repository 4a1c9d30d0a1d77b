/**
 * Command descriptions reflowed for oclif (cli/prose.ts): editor-wrapped lines joined, paragraphs, list items and
 * rows of flag tables kept apart; and every command's description in the built manifest is already in that form,
 * so `sync COMMAND --help` wraps each paragraph once to the terminal.
 */
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {prose} from '../../cli/prose.js'
import {repoRoot} from '../helpers/temp.js'

test('editor-wrapped lines are joined; paragraphs, list items and table rows stay apart, their continuations joined', (t) => {
  const text = `
One full pass: scan the folder,
read the journal.

A folder keeps its state while that stays true:
- server: another URL must serve the same journal (a moved
  server); this is checked.
- namespace: refused
  unless --reset.
After the list, plain text
goes on.

Files:
  PATH --jid N     version N of a file, also
                   of a deleted file
  DIR/ --jid N     a folder as it was
With a daemon running,
it carries it out.
`
  t.is(
    prose(text),
    [
      'One full pass: scan the folder, read the journal.',
      '',
      'A folder keeps its state while that stays true:',
      '- server: another URL must serve the same journal (a moved server); this is checked.',
      '- namespace: refused unless --reset.',
      'After the list, plain text goes on.',
      '',
      'Files:',
      '  PATH --jid N     version N of a file, also of a deleted file',
      '  DIR/ --jid N     a folder as it was',
      'With a daemon running, it carries it out.',
    ].join('\n'),
  )
  t.is(prose('One line.'), 'One line.')
})

test("every command's description in the manifest is reflowed: no editor-wrapped line for oclif to wrap again", async (t) => {
  const manifest = JSON.parse(await readFile(path.join(repoRoot, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {description?: string}>}
  const described = Object.entries(manifest.commands).flatMap(([id, {description}]) => (description ? [{id, description}] : []))
  t.true(described.length >= 20, `${described.length} commands described`)
  for (const {id, description} of described) t.is(prose(description), description, id)
})
