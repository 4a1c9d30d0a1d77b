/**
 * What the user decided about held deletions (`sync approve-deletes`, `sync restore --held`) while a daemon
 * holds the folder: the command leaves the decision in `.sync/decisions.json` and the daemon carries it out at
 * its next pass (it watches the file). The daemon takes the file away before reading it (a rename), so a
 * decision is carried out once; a command adds to a decision not yet taken.
 */
import {readFile} from 'node:fs/promises'
import {InvalidInputError} from '../errors/index.js'
import {takeFile} from '../util/take-file.js'
import {writeFileAtomic} from '../util/write-file-atomic.js'

export interface HeldDecisions {
  /** Held deletions to let through. */
  approve: string[]
  /** Paths whose held deletion is undone: the files come back. */
  restore: string[]
}

async function read(file: string): Promise<HeldDecisions | undefined> {
  let text
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  return parse(file, text)
}

function parse(file: string, text: string): HeldDecisions {
  const parsed = JSON.parse(text) as Partial<HeldDecisions>
  const strings = (value: unknown) => Array.isArray(value) && value.every((p) => typeof p === 'string')
  if (!strings(parsed.approve) || !strings(parsed.restore)) throw new InvalidInputError(`${file} is not a list of decisions about held deletions`)
  return parsed as HeldDecisions
}

/** Adds a decision for the daemon to carry out. */
export async function handDecisions(file: string, decisions: HeldDecisions): Promise<void> {
  const before = (await read(file).catch(() => undefined)) ?? {approve: [], restore: []}
  const merged = {approve: [...new Set([...before.approve, ...decisions.approve])], restore: [...new Set([...before.restore, ...decisions.restore])]}
  await writeFileAtomic(file, `${JSON.stringify(merged)}\n`)
}

/** Takes the decisions left for this process, if any (they are then gone from the folder). */
export async function takeDecisions(file: string): Promise<HeldDecisions | undefined> {
  const text = await takeFile(file)
  return text === undefined ? undefined : parse(file, text)
}
