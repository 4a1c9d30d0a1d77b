/**
 * The mark phase of a device's garbage collection (collect-folder.ts): every chunk a version in the sync state
 * names, local, base or remote, of every path, and every version kept on the device. A file of many chunks also keeps its tree's nodes
 * (src/manifest/id-tree.ts): the same ids give the same tree on every device, so building it again names the
 * nodes this device built when it sent the file or read when it received it, and the next version costs only
 * its new nodes. A manifest that several versions share is marked once.
 */
import {TreeBuilder, wantsTree} from '../manifest/id-tree.js'
import type {Manifest} from '../manifest/manifest.js'
import type {FolderState} from '../state/folder-state.js'
import type {Marks} from '../store/gc-marks.js'

export function markFolderState(state: FolderState, marks: Marks): void {
  // Versions kept on this device (kept-versions.ts): their chunks, to write them back.
  for (const kept of state.keptList()) marks.markList(kept.manifest.ids)
  const seen = new WeakSet<Manifest>()
  for (const [, record] of state.entries()) {
    for (const manifest of [record.local?.manifest, record.base?.manifest, record.remote?.manifest]) {
      if (manifest?.kind !== 'file' || seen.has(manifest)) continue
      seen.add(manifest)
      marks.markList(manifest.ids)
      // Each node marked as it is cut, none kept: a 1 GB text file's tree is 21 MB of nodes.
      if (wantsTree(manifest.ids.length)) {
        const builder = new TreeBuilder((node) => marks.markHex(node.id))
        builder.addList(manifest.ids)
        builder.finish()
      }
    }
  }
}
