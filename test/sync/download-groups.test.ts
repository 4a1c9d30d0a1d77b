import test from 'ava'
import {IdList} from '#src/chunk/id-list.js'
import {sha256Hex} from '#src/chunk/hash.js'
import {fileManifest, type Manifest} from '#src/manifest/manifest.js'
import {downloadGroups} from '#src/sync/download-groups.js'

const download = (path: string, ids: number): {path: string; remote: {manifest: Manifest}} => ({
  path,
  remote: {manifest: fileManifest(IdList.fromHex(Array.from({length: ids}, (_, i) => sha256Hex(Buffer.from(`${path} ${i}`)))), ids)},
})

const paths = (groups: {path: string}[][]) => groups.map((group) => group.map((d) => d.path))

test('the first group is small, the later ones bounded by files and by ids, in order; a file of more ids than a group is a group alone', (t) => {
  const downloads = [
    download('a', 1),
    download('b', 1),
    download('c', 1),
    download('d', 2),
    download('e', 2),
    download('f', 9),
    download('g', 1),
    download('h', 1),
    download('i', 1),
    download('j', 1),
  ]
  const link = {path: 'k', remote: {manifest: {kind: 'symlink', target: 'a'} as Manifest}}
  t.deepEqual(paths(downloadGroups([...downloads, link], {firstFiles: 2, files: 3, ids: 4})), [
    ['a', 'b'],
    ['c', 'd'],
    ['e'],
    ['f'],
    ['g', 'h', 'i'],
    ['j', 'k'],
  ])
  t.deepEqual(downloadGroups([], {firstFiles: 2, files: 3, ids: 4}), [])
})
