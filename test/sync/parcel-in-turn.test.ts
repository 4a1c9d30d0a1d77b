/**
 * @parcel/watcher's subscriptions taking turns: a subscription made while the process's only other one is being
 * unsubscribed still hears its folder. Without the turns, @parcel/watcher 2.6 attaches it to the native backend
 * that unsubscribe is ending (about 6 times in 10 here).
 */
import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import test from 'ava'
import {subscribe} from '#src/sync/parcel-in-turn.js'
import {tempDir} from '../helpers/temp.js'
import {waitFor} from '../helpers/wait-for.js'

test('a subscription made while the only other one is unsubscribed hears its folder, round after round', async (t) => {
  for (let round = 0; round < 20; round++) {
    const [closing, opening] = [path.join(await tempDir(t), 'closing'), path.join(await tempDir(t), 'opening')]
    await Promise.all([mkdir(closing), mkdir(opening)])
    const before = await subscribe(closing, () => {})
    const heard: string[] = []
    const [, after] = await Promise.all([
      before.unsubscribe(),
      subscribe(opening, (_error, events) => heard.push(...events.map((event) => path.basename(event.path)))),
    ])
    await writeFile(path.join(opening, 'Risotto.cook'), 'rice\n')
    await waitFor(`round ${round}: the new file to be heard`, () => heard.includes('Risotto.cook'), 10_000)
    await after.unsubscribe()
  }
  t.pass()
})

test('a subscribe that fails (no such folder) leaves the turn to the next one', async (t) => {
  const dir = path.join(await tempDir(t), 'folder')
  await mkdir(dir)
  await t.throwsAsync(subscribe(path.join(dir, 'missing'), () => {}))
  const heard: string[] = []
  const subscription = await subscribe(dir, (_error, events) => heard.push(...events.map((event) => path.basename(event.path))))
  await writeFile(path.join(dir, 'Risotto.cook'), 'rice\n')
  await waitFor('the file to be heard', () => heard.includes('Risotto.cook'), 10_000)
  await subscription.unsubscribe()
})
