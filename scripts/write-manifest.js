// Writes oclif.manifest.json from the built commands (what `oclif manifest` does, without its 44 MB dev tool).
import {writeFile} from 'node:fs/promises'
import {fileURLToPath} from 'node:url'
import {Plugin} from '@oclif/core/config'

const root = fileURLToPath(new URL('..', import.meta.url))
const plugin = new Plugin({root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true})
await plugin.load()
await writeFile(new URL('../oclif.manifest.json', import.meta.url), `${JSON.stringify(plugin.manifest, null, 2)}\n`)
console.log(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`)
