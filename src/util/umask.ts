/**
 * The process's umask, read once: process.umask() sets and resets the mask on every call (racy with other
 * threads, and 6 us here, paid per file written). Nothing in sync changes it.
 */
export const UMASK = process.umask()
