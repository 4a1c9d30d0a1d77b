/** Line hunks and their unified form: the hunks rebuild the new side from the old one, exactly, whatever the bytes. */
import test from 'ava'
import {fc} from '../helpers/fast-check-seed.js'
import {lineHunks, splitLines, type Hunk} from '#src/diff/line-hunks.js'
import {unifiedDiff} from '#src/diff/unified-diff.js'

/** Applies hunks to the old side's lines, checking each context and removed line against it. */
function apply(before: Buffer, hunks: Hunk[]): Buffer {
  const old = splitLines(before)
  const out: string[] = []
  let at = 0
  for (const hunk of hunks) {
    const start = hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1
    while (at < start) out.push(old[at++])
    for (const line of hunk.lines) {
      if (line.type !== '+' && old[at++] !== line.bytes) throw new Error(`hunk at ${hunk.oldStart} does not match the old side`)
      if (line.type !== '-') out.push(line.bytes)
    }
  }
  while (at < old.length) out.push(old[at++])
  return Buffer.from(out.join(''), 'latin1')
}

const lines = fc.array(fc.constantFrom('a\n', 'b\n', 'c\r\n', '\u00e9\n', '\n', 'x', '\u0000\n'), {maxLength: 40}).map((l) => Buffer.from(l.join('')))

test('hunks turn the old side into the new one; their counts and context are right', (t) => {
  fc.assert(
    fc.property(lines, lines, fc.integer({min: 0, max: 4}), (before, after, context) => {
      const hunks = lineHunks(before, after, context)
      t.deepEqual(apply(before, hunks), after)
      if (before.equals(after)) t.deepEqual(hunks, [])
      for (const hunk of hunks) {
        t.is(hunk.oldLines, hunk.lines.filter((l) => l.type !== '+').length)
        t.is(hunk.newLines, hunk.lines.filter((l) => l.type !== '-').length)
        const leading = hunk.lines.findIndex((l) => l.type !== ' ')
        t.true(leading >= 0 && leading <= context)
      }
    }),
  )
})

test('the unified form: headers with the labels, hunk lines, a last line without newline marked', (t) => {
  const before = Buffer.from('1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n')
  const after = Buffer.from('1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\n12\nthirteen')
  const diff = unifiedDiff('Soups/Leek.cook', {label: 'jid 4', size: before.length}, {label: 'working file', size: after.length}, lineHunks(before, after, 2))
  t.is(
    diff.toString(),
    [
      'diff --git a/Soups/Leek.cook b/Soups/Leek.cook',
      '--- a/Soups/Leek.cook\tjid 4',
      '+++ b/Soups/Leek.cook\tworking file',
      '@@ -1,5 +1,5 @@',
      ' 1',
      ' 2',
      '-3',
      '+three',
      ' 4',
      ' 5',
      '@@ -11,2 +11,3 @@',
      ' 11',
      ' 12',
      '+thirteen',
      '\\ No newline at end of file',
      '',
    ].join('\n'),
  )
  const created = unifiedDiff(
    'new.txt',
    {label: 'not on the server', absent: true, size: 0},
    {label: 'working file', size: 2},
    lineHunks(Buffer.alloc(0), Buffer.from('x\n')),
  )
  t.regex(created.toString(), /^--- \/dev\/null\tnot on the server\n\+\+\+ b\/new\.txt\tworking file\n@@ -0,0 \+1,1 @@\n\+x\n$/m)
})

test('sides too different to search (more changed lines than the bound) show as replaced whole, still a correct diff', (t) => {
  const before = Buffer.from(Array.from({length: 5000}, (_, i) => `line ${i}\n`).join(''))
  const after = Buffer.from(Array.from({length: 5000}, (_, i) => `other ${i}\n`).join(''))
  const hunks = lineHunks(before, after)
  t.deepEqual(apply(before, hunks), after)
  t.like(hunks, [{oldStart: 1, oldLines: 5000, newStart: 1, newLines: 5000}])
})
