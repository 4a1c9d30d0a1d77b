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

export function randomPath(random: () => number): string {
  return `${FOLDERS[Math.floor(random() * FOLDERS.length)]}${NAMES[Math.floor(random() * NAMES.length)]}.cook`
}

export function schedule(seed: number, ops: number, devices: number): Step[] {
  const random = seededRandom(seed)
  const device = () => Math.floor(random() * devices)
  const steps: Step[] = []
  const weights: [Step['kind'], number][] = [
    ['create', 12], ['create-large', 2], ['edit-line', 18], ['append', 10], ['delete', 5], ['rename', 5], ['move-folder', 2], ['truncate', 3],
    ['symlink', 2], ['sync', 25], ['crash-sync', 5], ['offline', 3], ['online', 3], ['kill-daemon', 3], ['kill-server', 2],
  ]
  const total = weights.reduce((n, [, w]) => n + w, 0)
  for (let i = 0; i < ops; i++) {
    let roll = random() * total
    const kind = weights.find(([, w]) => (roll -= w) < 0)![0]
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
