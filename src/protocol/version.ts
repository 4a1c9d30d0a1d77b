/**
 * The protocol's version, advertised by the server (server-info.ts) and checked by the client. A change a client
 * of the same version cannot follow (a new manifest form, a renamed field) makes a new version; additions that
 * older clients can ignore do not. Version 2: files of many chunks travel as the root of a tree of list chunks
 * (src/manifest/id-tree.ts).
 */
export const PROTOCOL_VERSION = 2

/**
 * Older protocols a server of this version still serves, read-only: a client announcing one (src/journal/user-agent.ts)
 * reads the journal and chunks but may not write, and is never handed what its protocol cannot read (a tree manifest
 * is protocol 2). Below these, a server refuses every request but health.
 */
export const READ_ONLY_PROTOCOLS: readonly number[] = [1]

/** The protocol that added tree manifests: a client announcing an older one is never sent a tree. */
export const TREE_PROTOCOL = 2
