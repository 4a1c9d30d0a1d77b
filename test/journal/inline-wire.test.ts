import test from 'ava'
import {inlineFromWire, inlineToWire} from '#src/journal/inline-wire.js'

const chunks = [
  Buffer.from('Add @salt{1%tsp} and stir.\n'),
  Buffer.from('\ufeffa BOM line\r\n'),
  Buffer.from([0xff, 0xfe, 0x00, 0x41]),
  Buffer.from('a lone \r and a "quote" \\ and \u2028\n'),
  Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate: not valid UTF-8
  Buffer.alloc(0),
]

test('chunks round-trip through JSON byte for byte: UTF-8 as text, the rest as base64', (t) => {
  const wire = JSON.parse(JSON.stringify(inlineToWire(chunks)))
  t.deepEqual(wire.inlineText, ['Add @salt{1%tsp} and stir.\n', '\ufeffa BOM line\r\n', 'a lone \r and a "quote" \\ and \u2028\n', ''])
  t.deepEqual(wire.inline, ['//4AQQ==', '7aCA'])
  const back = inlineFromWire(wire)
  t.deepEqual(back.map((b) => b.toString('hex')).sort(), chunks.map((b) => b.toString('hex')).sort())
})

test('a text line costs about its length on the wire, not 4/3 of it', (t) => {
  const line = Buffer.from('Sprinkle the @parmesan cheese{3} in a #oven{} until combined.\n')
  t.true(JSON.stringify(inlineToWire([line])).length <= line.length + 20)
})

test('no chunks, no fields', (t) => {
  t.deepEqual(inlineToWire([]), {})
  t.deepEqual(inlineFromWire({}), [])
})
