/**
 * `npm run demo`: an embedded sync-server on a free port and two device folders syncing the sample cookbook,
 * narrated. Everything happens in temp folders, removed at the end; exits 0 when every step did what it says.
 */
import {cp, mkdtemp, readFile, rm, stat, unlink, writeFile} from 'node:fs/promises'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {createApp, openLmdbStorage} from '#server/index.js'
import {initFolder} from '#src/folder/init-folder.js'
import {SyncFolder} from '#src/folder/sync-folder.js'
import {JournalClient} from '#src/journal/journal-client.js'
import {runDaemon} from '#src/sync/daemon.js'
import {Syncer} from '#src/sync/syncer.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const cookbook = path.join(root, 'fixtures', 'cookbook')
const say = (text = '') => console.log(text)
const step = (title: string) => say(`\n== ${title}`)

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<number> {
  const started = performance.now()
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error(`demo: gave up waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
  return performance.now() - started
}

const contentIs = (file: string, text: string) => () =>
  readFile(file, 'utf8').then(
    (t) => t === text,
    () => false,
  )
const absent = (file: string) => () =>
  stat(file).then(
    () => false,
    () => true,
  )

const work = await mkdtemp(path.join(os.tmpdir(), 'sync-demo-'))
const storage = await openLmdbStorage(path.join(work, 'server-data'))
const {app, flush} = createApp(storage)
const server = createServer(app.callback())
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

interface Device {
  name: string
  dir: string
  folder: SyncFolder
  client: JournalClient
  syncer: Syncer
  stop?: () => Promise<void>
}

async function device(name: string): Promise<Device> {
  const dir = path.join(work, name)
  const {token} = await storage.tokens.create({rights: 'read-write', namespace: 'recipes'}, name)
  const settings = {url, namespace: 'recipes', token}
  await initFolder(dir, {device: name, server: settings})
  const folder = await SyncFolder.open(dir)
  const client = new JournalClient(settings)
  return {name, dir, folder, client, syncer: new Syncer(folder, client, {device: name})}
}

function startDaemon(d: Device): void {
  const controller = new AbortController()
  const running = runDaemon(d.syncer, {signal: controller.signal, debounceMs: 10})
  d.stop = async () => {
    controller.abort()
    await running
  }
}

const traffic = (...devices: Device[]) => devices.reduce((n, d) => n + d.client.traffic().sent + d.client.traffic().received, 0)

try {
  step('An embedded sync-server')
  say(`listening on ${url}, data in ${path.join(work, 'server-data')}`)
  say("Two devices: 'laptop' starts with the sample cookbook, 'kitchen' starts empty.")
  const laptop = await device('laptop')
  const kitchen = await device('kitchen')
  await cp(cookbook, laptop.dir, {recursive: true})

  step('1. Initial sync, with a daemon on each device')
  startDaemon(laptop)
  startDaemon(kitchen)
  const photo = path.join(kitchen.dir, 'Breakfast', 'Easy Pancakes.jpg')
  const initial = await waitUntil(
    'the cookbook on the kitchen',
    async () =>
      (await stat(photo).catch(() => undefined))?.size === 970389 &&
      (await stat(path.join(kitchen.dir, 'Risotto.cook')).then(
        () => true,
        () => false,
      )),
  )
  const copied = await waitUntil(
    'every file',
    async () =>
      await readFile(path.join(kitchen.dir, 'reports', 'cost.md.jinja')).then(
        () => true,
        () => false,
      ),
  )
  say(`31 files (2.7 MB: recipes, menus, config, 5 photos) reached the kitchen in ${Math.round(initial + copied)} ms.`)
  say(
    `Bytes on the wire, both devices, headers included: ${traffic(laptop, kitchen).toLocaleString('en')} (two of the photos are identical: their chunks went once).`,
  )

  step('2. One line edited on the laptop')
  const risotto = 'Risotto.cook'
  const original = await readFile(path.join(laptop.dir, risotto), 'utf8')
  const servings6 = original.replace('servings: 4', 'servings: 6')
  const before = traffic(laptop, kitchen)
  await writeFile(path.join(laptop.dir, risotto), servings6)
  const latency = await waitUntil('the edit on the kitchen', contentIs(path.join(kitchen.dir, risotto), servings6))
  await new Promise((resolve) => setTimeout(resolve, 50)) // let the laptop's own follow-up read finish, to count it
  say(`"servings: 4" → "servings: 6" in ${risotto} (${original.length} bytes) appeared on the kitchen after ${Math.round(latency)} ms.`)
  say(
    `Bytes on the wire for it, both devices, headers included: ${traffic(laptop, kitchen) - before} (rsync would send the file's block checksums and the changed block).`,
  )

  step('3. Both devices edit different lines of one recipe at the same time')
  await laptop.stop!()
  await kitchen.stop!()
  say('(daemons paused, as if both were offline for a moment)')
  const pizza = 'Neapolitan Pizza.cook'
  const pizzaText = await readFile(path.join(laptop.dir, pizza), 'utf8')
  const lines = pizzaText.split('\n')
  const first = lines.findIndex((l) => l.startsWith('servings'))
  const last = lines.length - 2
  const onLaptop = lines.map((l, i) => (i === first ? 'servings: 3' : l)).join('\n')
  const onKitchen = lines.map((l, i) => (i === last ? `${l} Buon appetito!` : l)).join('\n')
  await writeFile(path.join(laptop.dir, pizza), onLaptop)
  await writeFile(path.join(kitchen.dir, pizza), onKitchen)
  say(`laptop:  line ${first + 1} → "servings: 3"`)
  say(`kitchen: line ${last + 1} → "... Buon appetito!"`)
  await laptop.syncer.pass()
  const merge = await kitchen.syncer.pass()
  await laptop.syncer.pass()
  const merged = await readFile(path.join(laptop.dir, pizza), 'utf8')
  if (
    merge.merged !== 1 ||
    merged !== (await readFile(path.join(kitchen.dir, pizza), 'utf8')) ||
    !merged.includes('servings: 3') ||
    !merged.includes('Buon appetito!')
  ) {
    throw new Error('demo: the merge did not give both edits on both devices')
  }
  say('The kitchen merged the two edits by lines against their common version; both devices now have both.')

  step('4. Both devices edit the same line')
  const onLaptop2 = merged.replace('servings: 3', 'servings: 2')
  const onKitchen2 = merged.replace('servings: 3', 'servings: 8')
  await writeFile(path.join(laptop.dir, pizza), onLaptop2)
  await writeFile(path.join(kitchen.dir, pizza), onKitchen2)
  await laptop.syncer.pass()
  const conflict = await kitchen.syncer.pass()
  await laptop.syncer.pass()
  const [copy] = conflict.conflicts
  if (!copy || (await readFile(path.join(laptop.dir, copy), 'utf8')) !== onKitchen2 || (await readFile(path.join(kitchen.dir, pizza), 'utf8')) !== onLaptop2) {
    throw new Error('demo: the conflict did not keep both versions')
  }
  say(`The edits overlap, so nothing is merged and nothing is lost: "${pizza}" has the laptop's version (it arrived first),`)
  say(`and the kitchen's is kept next to it as "${copy}", on both devices.`)

  step('5. A delete propagates')
  startDaemon(laptop)
  startDaemon(kitchen)
  await unlink(path.join(laptop.dir, 'Salads', 'Caprese.cook'))
  const gone = await waitUntil('the delete on the kitchen', absent(path.join(kitchen.dir, 'Salads', 'Caprese.cook')))
  say(`Salads/Caprese.cook deleted on the laptop; gone from the kitchen ${Math.round(gone)} ms later (and the empty Salads folder with it).`)
  await laptop.stop!()
  await kitchen.stop!()
  for (const d of [laptop, kitchen]) {
    d.client.close()
    await d.folder.close()
  }
  step('Done')
  say('Every step checked itself. The temp folders are removed now.')
} finally {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await flush()
  await storage.close()
  await rm(work, {recursive: true, force: true})
}
