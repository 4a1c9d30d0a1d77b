/** Small manifests for planner and merge tests: a file's lines are its chunks, so ids come from the lines. */
import {sha256Hex} from '#src/chunk/hash.js'
import {IdList} from '#src/chunk/id-list.js'
import type {FileManifest} from '#src/manifest/manifest.js'

export function textManifest(text: string, exec = false): FileManifest {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? []
  return {kind: 'file', size: Buffer.byteLength(text), exec, ids: IdList.fromHex(lines.map((l) => sha256Hex(Buffer.from(l))))}
}
