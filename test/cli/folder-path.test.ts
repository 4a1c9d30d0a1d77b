import test from 'ava'
import {folderPath, folderPrefix} from '../../cli/folder-path.js'
import {InvalidInputError} from '#src/errors/index.js'

test('a PATH argument: relative to the folder whatever the cwd; outside the folder said as such, a path the protocol refuses with its reason', (t) => {
  t.is(folderPath('/home/me/Recipes', 'Risotto.cook', '/home/me/Recipes/Breakfast'), 'Breakfast/Risotto.cook')
  t.is(folderPath('/home/me/Recipes', '/home/me/Recipes/Pasta/Carbonara.cook', '/tmp'), 'Pasta/Carbonara.cook')
  t.is(folderPrefix('/home/me/Recipes', '.', '/home/me/Recipes'), '')
  t.is(folderPrefix('/home/me/Recipes', 'Pasta/', '/home/me/Recipes'), 'Pasta')
  for (const [given, message] of [
    ['/etc/passwd', '/etc/passwd is not a file path inside /home/me/Recipes: it is outside the folder'],
    ['..', '.. is not a file path inside /home/me/Recipes: it is outside the folder'],
    ['../RecipesOld/x.cook', '../RecipesOld/x.cook is not a file path inside /home/me/Recipes: it is outside the folder'],
  ])
    t.throws(() => folderPath('/home/me/Recipes', given, '/home/me/Recipes'), {instanceOf: InvalidInputError, message}, given)
  t.throws(() => folderPath('/home/me/Recipes', '.sync/config.json', '/home/me/Recipes'), {
    instanceOf: InvalidInputError,
    message: /^\.sync\/config\.json is not a file path inside \/home\/me\/Recipes: /,
  })
  t.throws(() => folderPrefix('/home/me/Recipes', '/home', '/tmp'), {
    instanceOf: InvalidInputError,
    message: '/home is not a folder inside /home/me/Recipes: it is outside the folder',
  })
})
