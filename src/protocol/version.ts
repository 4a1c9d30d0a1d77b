/**
 * The protocol's version, advertised by the server (server-info.ts) and checked by the client. A change a client
 * of the same version cannot follow (a new manifest form, a renamed field) makes a new version; additions that
 * older clients can ignore do not. Version 2: files of many chunks travel as the root of a tree of list chunks
 * (src/manifest/id-tree.ts).
 */
export const PROTOCOL_VERSION = 2
