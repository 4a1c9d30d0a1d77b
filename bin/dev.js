#!/usr/bin/env -S node --import tsx
// `sync` from the TypeScript sources, for development: no build needed.
import {execute} from '@oclif/core'

await execute({development: true, dir: import.meta.url})
