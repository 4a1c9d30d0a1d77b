#!/bin/sh
':' //; export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"; exec node "$0" "$@"
// Run as a program (PATH, npm link, systemd), sh reads the line above and becomes node on this file (one exec,
// the same process id), with glibc's malloc told to hand freed memory back: two arenas instead of one per thread,
// and blocks of 128 KiB or more mapped on their own instead of kept in a heap that only grows. glibc reads these
// once, at start, so node cannot set them for itself; they cut a big transfer's peak RSS by 25-50 MB
// (docs/benchmarks.md). Variables already set are kept. Node reads that line as a string and a comment.
// `sync-server`: the journal and chunk server (server/main.ts, built into dist/ and bundled into dist/fast-server/
// by scripts/bundle.js).
import {main} from '../dist/fast-server/main.js'

process.exitCode = await main(process.argv.slice(2))
