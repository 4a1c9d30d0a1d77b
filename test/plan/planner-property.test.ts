/**
 * Planner-level property test (Dropbox's CanopyCheck idea): random base, local and remote trees → plan → apply
 * the actions in a shuffled order, as if each succeeded, against a model server → pull → plan again, until
 * nothing is left. Invariants: it ends within a bound; local tree, remote tree and server heads end equal; and
 * every edit either side made is still somewhere: at its path, in a conflict copy, or merged into the file.
 * Failures shrink (fast-check) and print the seed: `FC_SEED=... npx ava test/plan/planner-property.test.ts`.
 */
import test from 'ava'
import {fc} from '../helpers/fast-check-seed.js'
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import {mergeIds} from '#src/merge/merge-ids.js'
import {conflictCopyPath} from '#src/merge/conflict-name.js'
import {type Manifest, manifestsEqual} from '#src/manifest/manifest.js'
import type {Action} from '#src/plan/action.js'
import {planActions} from '#src/plan/plan-actions.js'
import type {PathRecord} from '#src/state/path-record.js'

// Contents are small line lists, so merges and conflicts both happen often.
const LINES = ['title\n', 'step one\n', 'step two\n', 'salt\n', 'pepper\n', '']
type Content = {kind: 'file'; lines: string[]} | {kind: 'symlink'; target: string}

const linesOf = new Map<string, string>()
function manifestOf(content: Content): Manifest {
  if (content.kind === 'symlink') return content
  const ids = content.lines.map((line) => {
    const id = sha256Hex(Buffer.from(line))
    linesOf.set(id, line)
    return id
  })
  return {kind: 'file', size: content.lines.join('').length, exec: false, ids: IdList.fromHex(ids)}
}

function textOf(manifest: Manifest): string {
  return manifest.kind === 'symlink' ? `-> ${manifest.target}` : [...manifest.ids].map((id) => linesOf.get(id)).join('')
}

const contentArb: fc.Arbitrary<Content> = fc.oneof(
  {weight: 6, arbitrary: fc.array(fc.constantFrom(...LINES.filter(Boolean)), {maxLength: 5}).map((lines) => ({kind: 'file' as const, lines}))},
  {weight: 1, arbitrary: fc.constantFrom('a', 'b/c').map((target) => ({kind: 'symlink' as const, target}))},
)

const PATHS = ['a.cook', 'b.cook', 'dir/c.cook', 'dir/sub/d.cook', 'moved/c.cook']

/** A path's situation: what both sides agreed on, and what each side did since. */
const pathArb = fc.record({
  base: fc.option(contentArb, {nil: undefined}),
  local: fc.constantFrom('same', 'edit', 'delete', 'empty'),
  remote: fc.constantFrom('same', 'edit', 'delete', 'empty'),
  localEdit: contentArb,
  remoteEdit: contentArb,
})

const scenarioArb = fc.record({
  paths: fc.dictionary(fc.constantFrom(...PATHS), pathArb, {minKeys: 1}),
  localMoves: fc.array(fc.tuple(fc.constantFrom(...PATHS), fc.constantFrom(...PATHS)), {maxLength: 2}),
  remoteMoves: fc.array(fc.tuple(fc.constantFrom(...PATHS), fc.constantFrom(...PATHS)), {maxLength: 2}),
  order: fc.integer(),
})

interface Head {
  jid: number
  manifest?: Manifest
  movedTo?: string
  movedFrom?: string
}

/** The model: one client's three trees and the server's heads. */
class World {
  server = new Map<string, Head>()
  records = new Map<string, PathRecord>()
  jid = 0
  /** Every edit made by either side: it must survive. */
  edits: {path: string; manifest: Manifest; base?: Manifest; side: 'local' | 'remote'}[] = []
  merges: Manifest[] = []

  record(path: string): PathRecord {
    let record = this.records.get(path)
    if (!record) this.records.set(path, (record = {}))
    return record
  }

  setLocal(path: string, manifest: Manifest | undefined): void {
    const record = this.record(path)
    if (manifest) record.local = {manifest, size: 0, mtimeMs: 0, ctimeMs: 0, ino: 0, hashedAtMs: 0}
    else delete record.local
  }

  commit(path: string, manifest: Manifest | undefined, extra: Partial<Head> = {}): Head {
    const head = {jid: ++this.jid, ...(manifest ? {manifest} : {}), ...extra}
    this.server.set(path, head)
    return head
  }

  /** The client learns every head (a pull), keeping its older knowledge where nothing changed. */
  pull(): void {
    for (const [path, head] of this.server) {
      const record = this.record(path)
      if ((record.remote?.jid ?? 0) < head.jid) record.remote = {...head}
    }
  }

  /** Carries out one action as the real syncer would, assuming every request succeeds. */
  apply(action: Action, device: string): void {
    const record = this.record(action.path)
    const head = this.server.get(action.path)
    switch (action.type) {
      case 'record':
        if (action.version) record.base = action.version
        else delete record.base
        return
      case 'upload':
      case 'delete-remote': {
        // Compare-and-set, with the protocol's rules: an edit beats a delete; equal content is unchanged.
        const manifest = action.type === 'upload' ? action.manifest : undefined
        const headDeleted = !head?.manifest
        const equal = manifestsEqual(head?.manifest, manifest)
        if (equal || (head?.jid ?? null) === action.base || (headDeleted && manifest)) {
          const version = equal && head ? head : this.commit(action.path, manifest)
          record.base = record.remote = {...version}
        } else if (head) record.remote = {...head}
        return
      }
      case 'move-remote': {
        const source = this.server.get(action.from)
        if ((head?.jid ?? null) === action.base || !head?.manifest) {
          if (source?.jid === action.fromBase && source.manifest) {
            const version = this.commit(action.path, action.manifest, {movedFrom: action.from})
            this.server.set(action.from, {jid: version.jid, movedTo: action.path})
            record.base = record.remote = {...version}
            this.record(action.from).base = this.record(action.from).remote = {jid: version.jid, movedTo: action.path}
          } else if (source) this.record(action.from).remote = {...source}
        } else if (head) record.remote = {...head}
        return
      }
      case 'download':
        this.setLocal(action.path, action.remote.manifest)
        record.base = action.remote
        return
      case 'delete-local':
        this.setLocal(action.path, undefined)
        record.base = action.remote
        return
      case 'move-local': {
        const source = this.record(action.from)
        this.setLocal(action.path, source.local?.manifest)
        this.setLocal(action.from, undefined)
        source.base = source.remote
        record.base = action.remote
        return
      }
      case 'merge': {
        const {base, local} = action
        const remote = action.remote.manifest
        if (base?.kind === 'file' && local.kind === 'file' && remote.kind === 'file') {
          const merged = mergeIds(base.ids, local.ids, remote.ids)
          if (merged.clean) {
            const manifest: Manifest = {kind: 'file', size: 0, exec: false, ids: merged.ids}
            this.merges.push(manifest)
            this.setLocal(action.path, manifest)
            record.base = action.remote
            return
          }
        }
        const copy = conflictCopyPath(action.path, device, new Date(0), (p) => this.records.has(p))
        this.setLocal(copy, local)
        this.setLocal(action.path, remote)
        record.base = action.remote
      }
    }
  }
}

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never

function build(scenario: Scenario): World {
  const world = new World()
  for (const [path, spec] of Object.entries(scenario.paths)) {
    const base = spec.base ? manifestOf(spec.base) : undefined
    const agreed = base ? world.commit(path, base) : undefined
    const record = world.record(path)
    if (agreed) record.base = record.remote = {...agreed}
    if (base) world.setLocal(path, base)
    const change = (kind: string, edit: Content): Manifest | undefined | 'same' =>
      kind === 'same' ? 'same' : kind === 'delete' ? undefined : kind === 'empty' ? manifestOf({kind: 'file', lines: []}) : manifestOf(edit)
    const local = change(spec.local, spec.localEdit)
    if (local !== 'same' && !(local === undefined && !base)) {
      world.setLocal(path, local)
      if (local && !manifestsEqual(local, base)) world.edits.push({path, manifest: local, base, side: 'local'})
    }
    const remote = change(spec.remote, spec.remoteEdit)
    if (remote !== 'same' && !(remote === undefined && !base)) {
      world.commit(path, remote)
      if (remote && !manifestsEqual(remote, base)) world.edits.push({path, manifest: remote, base, side: 'remote'})
    }
  }
  for (const [from, to] of scenario.localMoves) {
    const moving = world.records.get(from)?.local
    if (from === to || !moving || world.records.get(to)?.local) continue
    world.setLocal(to, moving.manifest)
    world.setLocal(from, undefined)
    world.edits = world.edits.map((e) => (e.side === 'local' && e.path === from ? {...e, path: to} : e))
  }
  for (const [from, to] of scenario.remoteMoves) {
    const moving = world.server.get(from)
    if (from === to || !moving?.manifest || world.server.get(to)?.manifest) continue
    const version = world.commit(to, moving.manifest, {movedFrom: from})
    world.server.set(from, {jid: version.jid, movedTo: to})
    world.edits = world.edits.map((e) => (e.side === 'remote' && e.path === from ? {...e, path: to} : e))
  }
  // An edit whose bytes equal the base of the path it ended at carries nothing the other side had not seen:
  // an edit made there afterwards supersedes it.
  world.edits = world.edits.filter((e) => !manifestsEqual(e.manifest, world.records.get(e.path)?.base?.manifest))
  world.pull()
  return world
}

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items]
  let state = seed >>> 0
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    const j = state % (i + 1)
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

const MAX_ROUNDS = 12

test('the planner converges and loses no edit, on random trees', (t) => {
  let rounds = 0
  fc.assert(
    fc.property(scenarioArb, (scenario) => {
      const world = build(scenario)
      let round = 0
      for (; round < MAX_ROUNDS; round++) {
        const actions = planActions(world.records.entries())
        if (actions.length === 0) break
        for (const action of shuffle(actions, scenario.order + round)) world.apply(action, 'dev')
        world.pull()
      }
      rounds += round
      if (round === MAX_ROUNDS) throw new Error(`no convergence after ${MAX_ROUNDS} rounds`)
      // All three trees and the server agree.
      for (const [path, record] of world.records) {
        const head = world.server.get(path)
        if (!manifestsEqual(record.local?.manifest, head?.manifest))
          throw new Error(
            `${path}: local ${record.local ? textOf(record.local.manifest) : 'absent'} != server ${head?.manifest ? textOf(head.manifest) : 'absent'}`,
          )
        if (record.base?.jid !== record.remote?.jid) throw new Error(`${path}: base ${record.base?.jid} != remote ${record.remote?.jid}`)
      }
      // Every edit survives: verbatim somewhere, or inside a clean merge.
      const present = [...world.server.values()].flatMap((h) => (h.manifest ? [h.manifest] : []))
      for (const edit of world.edits) {
        const survives = present.some((m) => manifestsEqual(m, edit.manifest)) || world.merges.some((m) => present.some((p) => manifestsEqual(p, m)))
        if (!survives) throw new Error(`${edit.side} edit of ${edit.path} (${textOf(edit.manifest)}) was lost`)
      }
    }),
    {numRuns: Number(process.env.PLANNER_RUNS ?? 3000)},
  )
  t.log(`${process.env.PLANNER_RUNS ?? 3000} random scenarios, ${rounds} planning rounds in all`)
  t.pass()
})
