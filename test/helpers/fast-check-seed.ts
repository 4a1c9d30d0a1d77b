/**
 * Loaded by ava before every test file (package.json "ava.require"): fast-check properties run from a fixed
 * seed, so CI is deterministic. FC_SEED=N picks another seed (a failure prints the one it used).
 */
import fc from 'fast-check'

fc.configureGlobal({seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261125})
