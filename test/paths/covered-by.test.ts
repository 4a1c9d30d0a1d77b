import test from 'ava'
import {coveredBy} from '#src/paths/covered-by.js'

test('a path is covered by itself and by any folder above it, not by a sibling that shares its start', (t) => {
  const covered = coveredBy(['desserts', 'mains/Risotto.cook'])
  t.true(covered('desserts'))
  t.true(covered('desserts/Pie.cook'))
  t.true(covered('desserts/tarts/Lemon.cook'))
  t.true(covered('mains/Risotto.cook'))
  t.false(covered('desserts-old/Pie.cook'), 'a longer name is another folder')
  t.false(covered('dessert'))
  t.false(covered('mains'), 'a folder is not covered by a file in it')
  t.false(covered('mains/Risotto.cook.bak'))
  t.false(covered('Pie.cook'))
})

test('the empty path lists nothing, and an empty list covers nothing', (t) => {
  t.false(coveredBy([''])('Pie.cook'))
  t.false(coveredBy([])('Pie.cook'))
})

test('many listed paths: each look-up walks the path, not the list', (t) => {
  const listed = Array.from({length: 20_000}, (_, i) => `cuisine-${i % 20}/recipe-${i}.cook`)
  const covered = coveredBy(listed)
  let hits = 0
  for (let i = 0; i < 40_000; i++) if (covered(`cuisine-${i % 20}/recipe-${i}.cook`)) hits++
  t.is(hits, 20_000)
})
