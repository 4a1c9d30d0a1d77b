/**
 * A seeded random schedule of what users, networks and crashes do to a set of devices. The same seed, op count
 * and device count always give the same schedule.
 */
import {seededRandom} from '../helpers/random.js'

export type Step =
  | {kind: 'create'; device: number; path: string}
  | {kind: 'edit-line'; device: number; path: string; pick: number}
  | {kind: 'append'; device: number; path: string}
  /** A file too large to travel inline: its chunks go in packs (exercises uploads and fetches). */
  | {kind: 'create-large'; device: number; path: string}
  | {kind: 'delete'; device: number; path: string}
  | {kind: 'rename'; device: number; path: string; to: string}
  | {kind: 'move-folder'; device: number; folder: string; to: string}
  | {kind: 'truncate'; device: number; path: string}
  | {kind: 'symlink'; device: number; path: string; target: string}
  /** A link to a folder outside the synced folder (or to its parent): never walked, never written through. */
  | {kind: 'link-out'; device: number; path: string; up: boolean}
  /** Toggles an ignore rule: in the shared `.syncignore`, or in this device's own `.sync/ignore`. */
  | {kind: 'ignore-rule'; device: number; rule: string; own: boolean}
  /** A file no other device can hold: a name with a control character, or a path over the protocol's length. */
  | {kind: 'unsyncable-name'; device: number; long: boolean}
  /** A file where another device may have a folder of that name, or a folder where it may have a file. */
  | {kind: 'clash'; device: number; path: string}
  /** `rm -rf` of everything in the folder (a wiped or unmounted disk): the delete guard must hold it. */
  | {kind: 'empty-folder'; device: number}
  | {kind: 'sync'; device: number}
  | {kind: 'crash-sync'; device: number; point: ClientCrashPoint}
  | {kind: 'offline'; device: number}
  | {kind: 'online'; device: number}
  | {kind: 'kill-daemon'; device: number}
  | {kind: 'kill-server'}

export type ClientCrashPoint = 'after-upload-before-commit' | 'after-commit-before-base' | 'after-temp-before-rename' | 'mid-pack'
export const CLIENT_CRASH_POINTS: ClientCrashPoint[] = ['after-upload-before-commit', 'after-commit-before-base', 'after-temp-before-rename', 'mid-pack']

const FOLDERS = ['', 'mains/', 'sides/', 'mains/pasta/']
const NAMES = ['risotto', 'curry', 'pizza', 'salad', 'soup', 'tacos']
/** Where links to the outside go: folder names the other operations use too, and one of their own. */
const LINK_PATHS = ['mains', 'sides', 'mains/pasta', 'linked']
const RULES = ['sides/', 'mains/pasta/', 'soup.cook']
/** A file at a folder's name, or a folder at a file's name. */
const CLASH_PATHS = ['mains', 'sides', 'mains/pasta', 'risotto.cook/notes.cook', 'mains/curry.cook/notes.cook', 'sides/salad.cook/notes.cook']

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]

export function randomPath(random: () => number): string {
  return `${FOLDERS[Math.floor(random() * FOLDERS.length)]}${NAMES[Math.floor(random() * NAMES.length)]}.cook`
}

/** How often each kind of step comes, relative to the others. */
const WEIGHTS: [Step['kind'], number][] = [
  ['create', 12],
  ['create-large', 2],
  ['edit-line', 18],
  ['append', 10],
  ['delete', 5],
  ['rename', 5],
  ['move-folder', 2],
  ['truncate', 3],
  ['symlink', 2],
  ['link-out', 1],
  ['ignore-rule', 2],
  ['unsyncable-name', 1],
  ['clash', 2],
  ['empty-folder', 1],
  ['sync', 25],
  ['crash-sync', 5],
  ['offline', 3],
  ['online', 3],
  ['kill-daemon', 3],
  ['kill-server', 2],
]

/** The kinds of step a schedule never takes, client crash points counted as kinds of their own. */
export function kindsMissing(steps: Step[]): string[] {
  const kindOf = (step: Step) => (step.kind === 'crash-sync' ? `crash-sync ${step.point}` : step.kind)
  const taken = new Set(steps.map(kindOf))
  const all = WEIGHTS.flatMap(([kind]) => (kind === 'crash-sync' ? CLIENT_CRASH_POINTS.map((point) => `crash-sync ${point}`) : [kind]))
  return all.filter((kind) => !taken.has(kind))
}

export function schedule(seed: number, ops: number, devices: number): Step[] {
  const random = seededRandom(seed)
  const device = () => Math.floor(random() * devices)
  const steps: Step[] = []
  const total = WEIGHTS.reduce((n, [, w]) => n + w, 0)
  for (let i = 0; i < ops; i++) {
    let roll = random() * total
    const kind = WEIGHTS.find(([, w]) => (roll -= w) < 0)![0]
    const d = device()
    switch (kind) {
      case 'create':
      case 'create-large':
      case 'append':
      case 'delete':
      case 'truncate':
        steps.push({kind, device: d, path: randomPath(random)})
        break
      case 'edit-line':
        steps.push({kind, device: d, path: randomPath(random), pick: random()})
        break
      case 'rename':
        steps.push({kind, device: d, path: randomPath(random), to: randomPath(random)})
        break
      case 'move-folder':
        steps.push({kind, device: d, folder: 'mains', to: random() < 0.5 ? 'main-courses' : 'archive/mains'})
        break
      case 'symlink':
        steps.push({kind, device: d, path: randomPath(random), target: randomPath(random)})
        break
      case 'link-out':
        steps.push({kind, device: d, path: pick(random, LINK_PATHS), up: random() < 0.3})
        break
      case 'ignore-rule':
        steps.push({kind, device: d, rule: pick(random, RULES), own: random() < 0.5})
        break
      case 'unsyncable-name':
        steps.push({kind, device: d, long: random() < 0.5})
        break
      case 'clash':
        steps.push({kind, device: d, path: pick(random, CLASH_PATHS)})
        break
      case 'crash-sync':
        steps.push({kind, device: d, point: CLIENT_CRASH_POINTS[Math.floor(random() * CLIENT_CRASH_POINTS.length)]})
        break
      case 'kill-server':
        steps.push({kind})
        break
      default:
        steps.push({kind, device: d})
    }
  }
  return steps
}
