/**
 * fast-check for the property tests, its properties run from a fixed seed so that CI is deterministic. FC_SEED=N
 * picks another seed (a failure prints the one it used). Imported by the files that use it, not loaded before
 * every test file: most have no property, and its load cost each ava worker ~30 ms of CPU.
 */
import fc from 'fast-check'

fc.configureGlobal({seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261125})

export {fc}
