#!/usr/bin/env node
// `sync-server`: the journal and chunk server (server/main.ts, built into dist/).
import {main} from '../dist/server/main.js'

process.exitCode = await main(process.argv.slice(2))
