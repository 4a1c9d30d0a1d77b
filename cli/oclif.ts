/** oclif's runner, for bin/run.js: bundled with oclif itself and the commands (scripts/bundle.js). */
import {settings} from '@oclif/core'

// The commands run as built, whatever NODE_ENV says: with NODE_ENV=test or development, oclif would look for their
// TypeScript sources beside the build and register tsx to load them (ava sets test: ~0.6 s of CPU per sync call).
settings.enableAutoTranspile = false

export {execute} from '@oclif/core'
