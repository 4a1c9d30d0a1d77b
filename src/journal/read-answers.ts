/**
 * How the journal client reads the server's answers: each through its schema (src/protocol/answers.ts), then what
 * a schema cannot say: paths a client may write, ids and edits that decode, a tree's numbers, `prev` before `jid`.
 * A server is outside this program: anything malformed is InvalidInputError naming what, never a wrong entry.
 * This module (and zod with it) is loaded only when an answer with something in it is read.
 */
import type {z} from 'zod'
import {InvalidInputError, InvalidPathError} from '../errors/index.js'
import {editsFromWire, plainManifestFromWire, treeFromWire} from '../manifest/wire.js'
import {checkPath} from '../paths/validate-path.js'
import {answerSchemas, commitResultSchema, wireEntrySchema, type Answer, type AnswerName} from '../protocol/answers.js'
import type {CommitResult} from './commit-wire.js'
import type {JournalEntry} from './journal-entry.js'

function parsed<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  throw new InvalidInputError(`malformed ${what} from the server: ${issue.path.join('.') || 'the answer'}: ${issue.message}`)
}

/** A whole answer of route `name`, its entries still to be read one by one. */
export function readAnswer<N extends AnswerName>(name: N, body: unknown): Answer<N> {
  return parsed(answerSchemas[name], body, `${name} answer`) as Answer<N>
}

/** `inlineIds`: the ids of the answer's inline chunks, in wire order, which edits may name by position. */
export function entryFromWire(value: unknown, inlineIds: readonly string[] = []): JournalEntry {
  const wire = parsed(wireEntrySchema, value, 'journal entry')
  const {jid, prev, kind = 'file', device, time, pruned} = wire
  if (prev !== null && prev >= jid) throw new InvalidInputError(`malformed journal entry from the server: prev ${prev} is not before jid ${jid}`)
  if (pruned && kind === 'deleted') throw new InvalidInputError('malformed journal entry from the server: a deletion cannot be pruned')
  const entry: JournalEntry = {jid, path: checkPath(wire.path), prev, kind, device, time}
  if (wire.from !== undefined) entry.from = checkPath(wire.from)
  if (pruned) entry.pruned = true
  if (kind === 'symlink' && !pruned) entry.manifest = plainManifestFromWire({kind, target: wire.target})
  if (kind === 'file') {
    const {size, exec} = wire
    if (size === undefined) throw new InvalidInputError('malformed journal entry from the server: a file without its size')
    entry.size = size
    entry.exec = exec === true
    if (pruned) return entry
    if (wire.ids !== undefined) entry.manifest = plainManifestFromWire({kind, size, exec, ids: wire.ids})
    else if (wire.edits !== undefined) entry.edits = editsFromWire(wire.edits, inlineIds)
    else if (wire.tree !== undefined) {
      entry.tree = treeFromWire(wire, 'journal entry')
      if (entry.tree.count > size) throw new InvalidInputError(`malformed journal entry from the server: ${entry.tree.count} chunks cannot make ${size} bytes`)
    }
  }
  return entry
}

/** An entry of a `changes` page that names a path no client may write. */
export interface RefusedEntry {
  path: string
  reason: string
  /** The entry took that path away (a deletion, or the old path of a move). */
  gone: boolean
}

/**
 * An entry of a `changes` page: one that names a path no client may write is refused, not fatal, so that one
 * bad entry cannot stop a device from syncing anything after it. A move whose old path is refused stands as a
 * plain create of its new path. Anything else malformed still throws: the page as a whole is not to be trusted.
 */
export function pageEntryFromWire(value: unknown, inlineIds: readonly string[]): {entry?: JournalEntry; refused: RefusedEntry[]} {
  try {
    return {entry: entryFromWire(value, inlineIds), refused: []}
  } catch (error) {
    if (!(error instanceof InvalidPathError)) throw error
    const wire = value as Record<string, unknown> & {path: string; from?: string}
    if (error.path === wire.path) return {refused: [{path: wire.path, reason: error.reason, gone: wire.kind === 'deleted'}]}
    const {from: _refused, ...create} = wire
    return {entry: entryFromWire(create, inlineIds), refused: [{path: error.path, reason: error.reason, gone: true}]}
  }
}

/** A commit result; a bare JID is a lean answer's committed item. */
export function resultFromWire(value: number | z.infer<typeof commitResultSchema>): CommitResult {
  if (typeof value === 'number') return {status: 'committed', jid: value}
  return value.status === 'conflict' ? {status: 'conflict', head: entryFromWire(value.head)} : value
}
